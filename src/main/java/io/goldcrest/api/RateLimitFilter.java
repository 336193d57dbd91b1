package io.goldcrest.api;

import io.goldcrest.auth.Principal;
import io.goldcrest.gateway.Gateway;
import io.goldcrest.metrics.Metrics;
import io.javalin.http.Context;
import java.util.Optional;

/** Applies the rate limits to requests and sets the RateLimit-* headers. (Skeleton.) */
final class RateLimitFilter {
    private final Gateway gateway;
    private final Metrics metrics;

    RateLimitFilter(Gateway gateway, Metrics metrics) {
        this.gateway = gateway;
        this.metrics = metrics;
    }

    /** Routes that need no token: the bucket of the source address. */
    void limitAnonymous(Context ctx) {
    }

    /** Authenticated routes: the bucket of (client, user, service). */
    void limitUser(Context ctx, Principal principal, Optional<RouteScope> scope) {
    }
}
