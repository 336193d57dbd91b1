package io.goldcrest.api;

import io.goldcrest.auth.Principal;
import io.goldcrest.config.ApiService;
import io.goldcrest.error.ThrottledException;
import io.goldcrest.gateway.Gateway;
import io.goldcrest.gateway.RateLimiter;
import io.goldcrest.gateway.RateLimiter.Decision;
import io.goldcrest.metrics.Metrics;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Applies the rate limits to requests and tells the client where it stands, on successes and refusals
 * alike, with the fields of the IETF draft "RateLimit header fields for HTTP"
 * (draft-ietf-httpapi-ratelimit-headers, the separate-field form): {@code RateLimit-Limit},
 * {@code RateLimit-Remaining}, {@code RateLimit-Reset} (seconds until the bucket is full again) and
 * {@code RateLimit-Policy: <capacity>;w=<period seconds>}. A refusal is 429 with {@code Retry-After}:
 * the seconds until one token is back.
 */
final class RateLimitFilter {
    private final RateLimiter limiter;
    private final Metrics metrics;

    RateLimitFilter(Gateway gateway, Metrics metrics) {
        this.limiter = gateway.limiter();
        this.metrics = metrics;
    }

    /** Routes that need no token: the bucket of the source address. */
    void limitAnonymous(Context ctx) {
        if (!limiter.enabled()) {
            return;
        }
        InetAddress address = ClientAddress.of(ctx);
        apply(ctx, limiter.consumeAddress(address), RouteScope.NO_SERVICE, "requests without a token",
                () -> "address " + address.getHostAddress());
    }

    /**
     * Authenticated routes: the bucket of (client, user, service). Routes outside every service
     * (those without a scope) are not free: they share one bucket per (client, user) at the
     * {@code per_user} limit.
     */
    void limitUser(Context ctx, Principal principal, Optional<RouteScope> scope) {
        if (!limiter.enabled()) {
            return;
        }
        Optional<ApiService> service = scope.map(RouteScope::service);
        apply(ctx, limiter.consumeUser(principal.clientId(), principal.username(), service),
                RouteScope.label(scope), service.map(ApiService::key).orElse("routes outside the services"),
                () -> "user '" + principal.username() + "' ("
                        + principal.clientId().map(id -> "client '" + id + "'").orElse("no client id") + ")");
    }

    /**
     * Sets the headers, and refuses when the bucket was empty.
     *
     * @param what the bucket's scope in the message ({@code compute})
     * @param whose whom the bucket belongs to, built only for a refusal
     */
    private void apply(Context ctx, Decision decision, String service, String what, Supplier<String> whose) {
        headers(decision).forEach(ctx::header);
        if (!decision.allowed()) {
            metrics.denied("rate_limit", service);
            throw new ThrottledException(message(decision, what, whose.get()), decision.retryAfterSeconds());
        }
    }

    static String message(Decision decision, String what, String whose) {
        return "Rate limit of " + decision.limit().capacity() + " requests per " + decision.limit().period().toSeconds()
                + " s for " + what + " reached for " + whose + "; retry in " + decision.retryAfterSeconds() + " s";
    }

    /** The RateLimit-* fields of a decision; {@code Retry-After} is the error mapper's, from the exception. */
    static Map<String, String> headers(Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Limit", Long.toString(decision.limit().capacity()));
        headers.put("RateLimit-Remaining", Long.toString(decision.remaining()));
        headers.put("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        headers.put("RateLimit-Policy", decision.limit().capacity() + ";w=" + decision.limit().period().toSeconds());
        return headers;
    }
}
