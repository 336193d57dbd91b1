package io.goldcrest.gateway;

import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.ssh.SshPool;
import java.time.Clock;

/**
 * What is checked before a request reaches a service, free of HTTP: address filters, the
 * authorization policy and rate limits. The API layer applies them in its filters.
 */
public record Gateway(AddressFilter addresses, AccessPolicy policy, RateLimiter limiter) implements AutoCloseable {

    public static Gateway create(GoldcrestConfig config, SshPool pool, Clock clock) {
        return new Gateway(new AddressFilter(config.gateway()), new AccessPolicy(config, pool, clock),
                new RateLimiter(config, clock));
    }

    @Override
    public void close() {
        limiter.close();
    }
}
