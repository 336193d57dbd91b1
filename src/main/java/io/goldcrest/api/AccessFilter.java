package io.goldcrest.api;

import io.goldcrest.auth.Principal;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.gateway.Gateway;
import io.goldcrest.metrics.Metrics;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.Optional;

/** Applies the address filters and the authorization policy to requests. */
final class AccessFilter {
    private final GoldcrestConfig config;
    private final Gateway gateway;
    private final Metrics metrics;

    AccessFilter(GoldcrestConfig config, Gateway gateway, Metrics metrics) {
        this.config = config;
        this.gateway = gateway;
        this.metrics = metrics;
    }

    /** Every request, matched or not, before anything else (the token too): the global address lists. */
    void screen(Context ctx) {
        InetAddress address = ClientAddress.resolve(ctx, config.gateway().trustedProxies());
        if (!gateway.addresses().allows(address)) {
            metrics.denied("address", RouteScope.NO_SERVICE);
            throw new GoldcrestException(ErrorCode.ADDRESS_DENIED, "Requests from address " + text(address) + " are not allowed");
        }
    }

    /**
     * Authenticated requests: client registration, the client's address lists, then the policy for
     * the route's service and system; a route outside every service ({@code scope} empty) has no policy.
     */
    void authorize(Context ctx, Principal principal, Optional<RouteScope> scope) {
        String service = RouteScope.label(scope);
        try {
            gateway.policy().requireRegistered(principal);
        } catch (GoldcrestException e) {
            metrics.denied("client", service);
            throw e;
        }
        InetAddress address = ClientAddress.of(ctx);
        Optional<String> client = principal.clientId();
        if (client.isPresent() && !gateway.addresses().allows(client.get(), address)) {
            metrics.denied("address", service);
            throw new GoldcrestException(ErrorCode.ADDRESS_DENIED,
                    "Requests from address " + text(address) + " are not allowed for client '" + client.get() + "'");
        }
        if (scope.isEmpty()) {
            return;
        }
        try {
            gateway.policy().authorize(principal, RouteScope.system(ctx), scope.get().service(), scope.get().needed());
        } catch (GoldcrestException e) {
            if (e.code() == ErrorCode.ACCESS_DENIED) {
                metrics.denied("authorization", service);
            }
            throw e;
        }
    }

    private static String text(InetAddress address) {
        return address == null ? "(unknown)" : address.getHostAddress();
    }
}
