package io.goldcrest.gateway;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.goldcrest.config.ConfigException;
import io.goldcrest.config.GatewayConfig.Limit;
import io.goldcrest.config.TasksConfig.RedisConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets in Redis through Bucket4j's Lettuce proxy manager (compare-and-swap), so every instance on
 * that Redis and key prefix takes from the same buckets. Keys are {@code <key_prefix>:ratelimit:<key>}
 * and expire once their bucket has refilled to full (at most one period after the last request), so
 * idle clients leave nothing behind.
 *
 * <p>When Redis fails or does not answer within {@value #TIMEOUT_MILLIS} ms, requests are counted in
 * this process's own buckets instead (for {@value #PAUSE_SECONDS} s, then Redis is tried again),
 * with a WARN at most once a minute. Limits then hold per instance, not across them (N instances
 * allow up to N times the limit), which still protects the clusters from a runaway client; refusing
 * every request (503) would instead turn a Redis outage into an outage of the whole API, and the
 * per-user cap on waiting SSH work, which is local, keeps guarding the sshd either way.
 */
final class RedisBuckets implements Buckets {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBuckets.class);
    static final int TIMEOUT_MILLIS = 1000;
    private static final Duration TIMEOUT = Duration.ofMillis(TIMEOUT_MILLIS);
    static final int PAUSE_SECONDS = 5;
    private static final long WARN_INTERVAL_MILLIS = 60_000;
    /** Kept this long after refilling, so an instance with a slightly slower clock still finds it. */
    private static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(1);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final RedisURI uri;
    private final String where;
    private final String prefix;
    private final Clock clock;
    private final LocalBuckets fallback;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicLong lastWarn = new AtomicLong(Long.MIN_VALUE / 2);
    /** Proxies of the buckets in use, bounded; see {@link #bucket}. */
    private final ConcurrentHashMap<String, BucketProxy> bucketProxies = new ConcurrentHashMap<>();
    private static final int MAX_PROXIES = 100_000;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> proxies;
    private volatile long pausedUntil;
    private volatile boolean closed;

    /**
     * Connects once at start; when Redis cannot be reached then, starts anyway on local buckets and
     * keeps trying in the background.
     *
     * @throws ConfigException when the URL cannot be parsed
     */
    RedisBuckets(RedisConfig config, Clock clock) {
        try {
            uri = RedisURI.create(config.url().reveal());
        } catch (IllegalArgumentException e) {
            // Lettuce's message may quote the URL, and with it the password.
            throw new ConfigException(List.of("goldcrest.redis.url: not a valid Redis URL"));
        }
        uri.setTimeout(TIMEOUT);
        this.where = uri.getHost() + ":" + uri.getPort();
        this.prefix = config.keyPrefix() + ":ratelimit:";
        this.clock = clock;
        this.fallback = new LocalBuckets(clock);
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
                // While the connection is down commands fail at once (and the fallback answers)
                // instead of queueing; Lettuce reconnects in the background.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            connected(client.connect(CODEC, uri));
        } catch (RuntimeException e) {
            failed("cannot connect", e);
        }
    }

    @Override
    public ConsumptionProbe consume(String key, Limit limit) {
        ProxyManager<String> current = proxies;
        if (current == null) {
            connectInBackground();
            return fallback.consume(key, limit);
        }
        if (clock.millis() < pausedUntil) {
            return fallback.consume(key, limit);
        }
        try {
            return bucket(current, key, limit).tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            failed("failed", e);
            return fallback.consume(key, limit);
        }
    }

    /**
     * The bucket's proxy, kept so that Bucket4j's batching works: requests that arrive while one of
     * the same bucket is at Redis wait and go together in one compare-and-swap, instead of each
     * retrying its own against the others. Measured with bench/gateway.sh (100 connections, two
     * users): without it a Redis-kept limit cut throughput to 40% of no limits at all.
     */
    private BucketProxy bucket(ProxyManager<String> manager, String key, Limit limit) {
        BucketProxy bucket = bucketProxies.get(key);
        if (bucket == null) {
            if (bucketProxies.size() >= MAX_PROXIES) {
                // Dropping a proxy loses nothing: the bucket's state is in Redis.
                bucketProxies.clear();
            }
            BucketConfiguration configuration = BucketConfiguration.builder().addLimit(Buckets.bandwidth(limit)).build();
            bucket = bucketProxies.computeIfAbsent(key, name -> manager.builder()
                    .withOptimization(Optimizations.batching())
                    .build(prefix + name, () -> configuration));
        }
        return bucket;
    }

    private void connected(StatefulRedisConnection<String, byte[]> opened) {
        bucketProxies.clear();
        connection = opened;
        proxies = Bucket4jLettuce.casBasedBuilder(opened)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                .clientClock(Buckets.timeMeter(clock))
                .requestTimeout(TIMEOUT)
                .build();
        LOG.info("rate limits are kept in Redis at {}", where);
    }

    /** Once connected, Lettuce reconnects by itself; this only covers a Redis that was down at start. */
    private void connectInBackground() {
        if (clock.millis() < pausedUntil || !connecting.compareAndSet(false, true)) {
            return;
        }
        client.connectAsync(CODEC, uri).whenComplete((opened, failure) -> {
            if (failure == null && closed) {
                opened.close();
            } else if (failure == null) {
                connected(opened);
            } else {
                failed("cannot connect", failure);
            }
            connecting.set(false);
        });
    }

    private void failed(String what, Throwable failure) {
        long now = clock.millis();
        pausedUntil = now + PAUSE_SECONDS * 1000L;
        long last = lastWarn.get();
        if (now - last >= WARN_INTERVAL_MILLIS && lastWarn.compareAndSet(last, now)) {
            // Lettuce's messages name the address, never the password.
            LOG.warn("rate limits: Redis at {} {} ({}); counting in this instance alone until it answers again",
                    where, what, rootMessage(failure));
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<String, byte[]> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, TIMEOUT);
        fallback.close();
    }
}
