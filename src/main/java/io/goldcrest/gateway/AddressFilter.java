package io.goldcrest.gateway;

import io.goldcrest.config.GatewayConfig;
import io.goldcrest.config.GatewayConfig.AddressRules;
import io.goldcrest.config.GatewayConfig.ClientEntry;
import java.net.InetAddress;

/**
 * Global and per-client address allow and deny lists. In each pair a denied address is refused even
 * when it is also allowed, and a non-empty allow list refuses everything outside it.
 */
public final class AddressFilter {
    private final GatewayConfig config;

    public AddressFilter(GatewayConfig config) {
        this.config = config;
    }

    /**
     * The global lists, applied to every request.
     *
     * @param address the client's address; null (a peer address that did not parse) passes only when
     *     no list is configured
     */
    public boolean allows(InetAddress address) {
        return permits(config.addresses(), address);
    }

    /** The lists of a registered client; an unregistered client has none. */
    public boolean allows(String clientId, InetAddress address) {
        ClientEntry client = config.clients().get(clientId);
        return client == null || permits(client.addresses(), address);
    }

    static boolean permits(AddressRules rules, InetAddress address) {
        if (rules.isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        if (rules.deny().stream().anyMatch(block -> block.contains(address))) {
            return false;
        }
        return rules.allow().isEmpty() || rules.allow().stream().anyMatch(block -> block.contains(address));
    }
}
