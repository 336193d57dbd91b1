package io.goldcrest.gateway;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.goldcrest.config.GatewayConfig.Limit;
import java.time.Clock;
import java.time.Instant;

/** Where token buckets live: in this process, or in Redis for every instance. */
interface Buckets extends AutoCloseable {

    /**
     * Takes one token from the bucket named {@code key}, creating it full with {@code limit} when it
     * does not exist. The key must name the limit too, so a changed limit never meets an old bucket.
     */
    ConsumptionProbe consume(String key, Limit limit);

    @Override
    void close();

    /** {@code capacity} tokens, refilled greedily (a token every period/capacity) to full over {@code period}. */
    static Bandwidth bandwidth(Limit limit) {
        return Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build();
    }

    /** Bucket4j's time from our clock, so tests can move it. */
    static TimeMeter timeMeter(Clock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }
}
