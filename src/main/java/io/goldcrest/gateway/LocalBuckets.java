package io.goldcrest.gateway;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.goldcrest.config.GatewayConfig.Limit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Buckets in this process. A bucket unused for its whole period has refilled to full, so forgetting
 * it changes nothing: the map is swept of those every {@value #SWEEP_SECONDS} s by whichever request
 * comes then (no thread of its own). Beyond {@code maxBuckets} (a flood of distinct addresses), the
 * least recently used tenth is forgotten, which lets those keys start again from full.
 */
final class LocalBuckets implements Buckets {
    static final int MAX_BUCKETS = 100_000;
    private static final int SWEEP_SECONDS = 30;

    private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();
    private final Clock clock;
    private final TimeMeter meter;
    private final int maxBuckets;
    private final AtomicLong nextSweep;

    private static final class Entry {
        final Bucket bucket;
        final long periodMillis;
        volatile long lastUsedMillis;

        Entry(Bucket bucket, long periodMillis) {
            this.bucket = bucket;
            this.periodMillis = periodMillis;
        }
    }

    LocalBuckets(Clock clock) {
        this(clock, MAX_BUCKETS);
    }

    LocalBuckets(Clock clock, int maxBuckets) {
        this.clock = clock;
        this.meter = Buckets.timeMeter(clock);
        this.maxBuckets = maxBuckets;
        this.nextSweep = new AtomicLong(clock.millis() + SWEEP_SECONDS * 1000L);
    }

    @Override
    public ConsumptionProbe consume(String key, Limit limit) {
        long now = clock.millis();
        long due = nextSweep.get();
        if (now >= due && nextSweep.compareAndSet(due, now + SWEEP_SECONDS * 1000L)) {
            sweep(now);
        }
        if (buckets.size() >= maxBuckets && !buckets.containsKey(key)) {
            sweep(now);
        }
        ConsumptionProbe[] probe = new ConsumptionProbe[1];
        // Inside compute, so a sweep cannot drop the bucket between lookup and consumption.
        buckets.compute(key, (name, entry) -> {
            Entry current = entry != null ? entry : new Entry(newBucket(limit), limit.period().toMillis());
            current.lastUsedMillis = now;
            probe[0] = current.bucket.tryConsumeAndReturnRemaining(1);
            return current;
        });
        return probe[0];
    }

    private Bucket newBucket(Limit limit) {
        return Bucket.builder()
                .addLimit(Buckets.bandwidth(limit))
                .withCustomTimePrecision(meter)
                .build();
    }

    /** Forgets full buckets, then the least recently used ones while over the cap. */
    void sweep(long now) {
        for (String key : buckets.keySet()) {
            buckets.computeIfPresent(key, (name, entry) -> now - entry.lastUsedMillis >= entry.periodMillis ? null : entry);
        }
        int excess = buckets.size() - maxBuckets * 9 / 10;
        if (excess > 0) {
            List<Map.Entry<String, Long>> byAge = new ArrayList<>();
            buckets.forEach((key, entry) -> byAge.add(Map.entry(key, entry.lastUsedMillis)));
            byAge.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
            byAge.stream().limit(excess).forEach(oldest -> buckets.remove(oldest.getKey()));
        }
    }

    int size() {
        return buckets.size();
    }

    @Override
    public void close() {
        buckets.clear();
    }
}
