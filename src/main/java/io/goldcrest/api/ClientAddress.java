package io.goldcrest.api;

import io.goldcrest.config.Cidr;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The address a request comes from. {@code X-Forwarded-For} is read only when the peer is a
 * configured proxy, and then from the right: each hop that is itself a trusted proxy passes on to the
 * address it names, and the first untrusted one is the client. A client cannot forge its way past
 * the proxies by sending the header itself, since its own entries are left of the proxies' ones.
 */
public final class ClientAddress {
    private static final String ATTRIBUTE = "goldcrest.client-address";

    private ClientAddress() {}

    /** Resolves and remembers the request's client address; the first filter calls this. */
    static InetAddress resolve(Context ctx, List<Cidr> trustedProxies) {
        InetAddress client = literal(ctx.req().getRemoteAddr());
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded != null && client != null && trusted(client, trustedProxies)) {
            String[] hops = forwarded.split(",");
            for (int index = hops.length - 1; index >= 0; index--) {
                InetAddress hop = literal(hops[index].strip());
                if (hop == null) {
                    break;
                }
                client = hop;
                if (!trusted(hop, trustedProxies)) {
                    break;
                }
            }
        }
        ctx.attribute(ATTRIBUTE, client);
        return client;
    }

    /** The resolved address; the socket peer when {@link #resolve} has not run. */
    public static InetAddress of(Context ctx) {
        InetAddress address = ctx.attribute(ATTRIBUTE);
        return address != null ? address : literal(ctx.req().getRemoteAddr());
    }

    private static boolean trusted(InetAddress address, List<Cidr> proxies) {
        return proxies.stream().anyMatch(block -> block.contains(address));
    }

    /** Parses literal addresses only, never a name (no DNS lookups on request data). */
    private static InetAddress literal(String text) {
        if (text == null || text.isEmpty() || !text.matches("[0-9A-Fa-f:.\\[\\]]+")) {
            return null;
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!bare.contains(".") && !bare.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
