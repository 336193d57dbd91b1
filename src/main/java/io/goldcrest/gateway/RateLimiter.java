package io.goldcrest.gateway;

import io.goldcrest.config.GoldcrestConfig;
import java.time.Clock;

/** Token buckets per (client, user, service) and per source address. (Skeleton.) */
public final class RateLimiter implements AutoCloseable {
    private final GoldcrestConfig config;

    public RateLimiter(GoldcrestConfig config, Clock clock) {
        this.config = config;
    }

    @Override
    public void close() {
    }
}
