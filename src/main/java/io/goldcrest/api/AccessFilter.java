package io.goldcrest.api;

import io.goldcrest.auth.Principal;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.gateway.Gateway;
import io.goldcrest.metrics.Metrics;
import io.javalin.http.Context;
import java.util.Optional;

/** Applies the address filters and the authorization policy to requests. (Skeleton.) */
final class AccessFilter {
    private final GoldcrestConfig config;
    private final Gateway gateway;
    private final Metrics metrics;

    AccessFilter(GoldcrestConfig config, Gateway gateway, Metrics metrics) {
        this.config = config;
        this.gateway = gateway;
        this.metrics = metrics;
    }

    /** Every request, matched or not, before anything else: the global address lists. */
    void screen(Context ctx) {
        ClientAddress.resolve(ctx, config.gateway().trustedProxies());
    }

    /** Authenticated requests: client registration, the client's address lists, the policy. */
    void authorize(Context ctx, Principal principal, Optional<RouteScope> scope) {
    }
}
