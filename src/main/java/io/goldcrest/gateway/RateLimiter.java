package io.goldcrest.gateway;

import io.github.bucket4j.ConsumptionProbe;
import io.goldcrest.config.ApiService;
import io.goldcrest.config.GatewayConfig.Limit;
import io.goldcrest.config.GatewayConfig.RateLimits;
import io.goldcrest.config.GoldcrestConfig;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * Token buckets per (client, user, service) and per source address ({@code goldcrest.gateway.rate_limits}),
 * in this process or in Redis. Without a {@code rate_limits} section nothing is counted at all.
 */
public final class RateLimiter implements AutoCloseable {
    private final Optional<RateLimits> limits;
    private final Buckets buckets;

    /**
     * What one request took from its bucket.
     *
     * @param allowed whether a token was there to take
     * @param remaining tokens left after this request
     * @param limit the bucket's capacity and period
     * @param resetSeconds whole seconds until the bucket is full again (rounded up)
     * @param retryAfterSeconds when refused, whole seconds until one token is back (at least 1); else 0
     */
    public record Decision(boolean allowed, long remaining, Limit limit, long resetSeconds, long retryAfterSeconds) {
        static Decision of(ConsumptionProbe probe, Limit limit) {
            boolean allowed = probe.isConsumed();
            return new Decision(allowed, Math.max(0, probe.getRemainingTokens()), limit,
                    ceilSeconds(probe.getNanosToWaitForReset()),
                    allowed ? 0 : Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())));
        }

        private static long ceilSeconds(long nanos) {
            return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
        }
    }

    /** @throws io.goldcrest.config.ConfigException when {@code store: redis} and the Redis URL does not parse */
    public RateLimiter(GoldcrestConfig config, Clock clock) {
        this(config.gateway().rateLimits(), config.gateway().rateLimits().map(limits -> limits.shared()
                // The reader refuses store: redis without goldcrest.redis, so the orElseThrow is a bug guard.
                ? new RedisBuckets(config.tasks().redis().orElseThrow(
                        () -> new IllegalStateException("rate_limits.store is redis but goldcrest.redis is not set")), clock)
                : new LocalBuckets(clock)).orElse(null));
    }

    RateLimiter(Optional<RateLimits> limits, Buckets buckets) {
        this.limits = limits;
        this.buckets = buckets;
    }

    /** False without a {@code rate_limits} section: then callers skip limiting altogether. */
    public boolean enabled() {
        return buckets != null;
    }

    /** The limit a user's requests to {@code service} (none: routes outside the services) are held to. */
    public Limit limitFor(Optional<ApiService> service) {
        RateLimits configured = configured();
        return service.map(configured::limitFor).orElse(configured.perUser());
    }

    /**
     * Takes a token from the bucket of (client, user, service). Routes outside every service share one
     * bucket per (client, user) with the {@code per_user} limit.
     */
    public Decision consumeUser(Optional<String> clientId, String user, Optional<ApiService> service) {
        Limit limit = limitFor(service);
        String key = "user:" + service.map(ApiService::key).orElse("-") + ":" + shape(limit) + ":"
                + clientId.map(id -> "c=" + encode(id)).orElse("-") + ":" + encode(user);
        return Decision.of(buckets.consume(key, limit), limit);
    }

    /** Takes a token from the bucket of a source address (routes that need no token). */
    public Decision consumeAddress(InetAddress address) {
        Limit limit = configured().perAddress();
        return Decision.of(buckets.consume("address:" + shape(limit) + ":" + address.getHostAddress(), limit), limit);
    }

    private RateLimits configured() {
        return limits.orElseThrow(() -> new IllegalStateException("rate limits are not configured"));
    }

    /** In the key, so instances or restarts with another limit never share a bucket made for the old one. */
    private static String shape(Limit limit) {
        return limit.capacity() + "/" + limit.period().toMillis();
    }

    /** Client ids and user names may hold ':'; encoded, the parts of a key cannot run into each other. */
    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (buckets != null) {
            buckets.close();
        }
    }
}
