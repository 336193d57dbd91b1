package io.goldcrest.metrics;

import io.goldcrest.ssh.RemoteOperation;
import io.goldcrest.ssh.RemoteOperationListener;
import io.goldcrest.ssh.SshPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The process's metrics, rendered as Prometheus text by {@link #scrape}. Parts report what happened
 * through these methods; pool and health gauges read their sources when scraped. Every label value is
 * from a bounded set (route templates, configured systems, program names), never from a request's path.
 */
public final class Metrics implements RemoteOperationListener, AutoCloseable {
    /** The Prometheus text exposition format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The route label of requests that matched no route (404, 405), so raw paths never become labels. */
    public static final String UNMATCHED = "unmatched";
    /** Histogram buckets for request and remote-operation latency: 12 bounds from 5 ms to 30 s. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** The latest health results, refreshed at each scrape; gauges read them by key. */
    private final Map<HealthKey, HealthReading> health = new ConcurrentHashMap<>();
    private volatile Supplier<List<HealthReading>> healthSource = List::of;
    private volatile Clock clock = Clock.systemUTC();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * One HTTP request answered.
     *
     * @param route the matched route template, or {@link #UNMATCHED}
     */
    public void request(String method, String route, int status, long nanos) {
        Timer.builder("goldcrest.http.server.requests")
                .description("HTTP requests by method, route template and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request refused by the gateway; {@code kind} is address, client, authorization, rate_limit or ssh_queue. */
    public void denied(String kind, String service) {
        Counter.builder("goldcrest.gateway.denials")
                .description("Requests refused by the gateway, by kind of denial and service")
                .tags("kind", kind, "service", service)
                .register(registry)
                .increment();
    }

    /** A remote operation ended: its latency by program, and its count by outcome. */
    @Override
    public void finished(RemoteOperation operation) {
        Tags tags = Tags.of("system", operation.cluster(), "kind", operation.kind(), "name", operation.name());
        Timer.builder("goldcrest.remote.operation")
                .description("Latency of remote operations (commands, SFTP uses, agent requests) by system, kind and name")
                .tags(tags)
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(operation.duration());
        Counter.builder("goldcrest.remote.operations")
                .description("Remote operations by system, kind, name and outcome")
                .tags(tags.and("outcome", outcome(operation)))
                .register(registry)
                .increment();
    }

    /** {@code ok}, {@code exit_nonzero}, or the failure's code in lower case ({@code command_timeout}). */
    static String outcome(RemoteOperation operation) {
        if (operation.failure().isPresent()) {
            return operation.failure().get().toLowerCase(Locale.ROOT);
        }
        return operation.exitStatus().orElse(0) == 0 ? "ok" : "exit_nonzero";
    }

    /** Gauges of each system's SSH connections and open channels, read from the pool when scraped. */
    public void watchPool(SshPool pool, List<String> systems) {
        for (String system : systems) {
            Gauge.builder("goldcrest.ssh.connections", pool, p -> p.connectionCount(system))
                    .description("Open SSH connections (one per user) by system")
                    .tag("system", system).strongReference(true).register(registry);
            Gauge.builder("goldcrest.ssh.channels", pool, p -> p.channelsOpen(system))
                    .description("Open SSH channels by system: running commands plus kept SFTP and agent channels")
                    .tag("system", system).strongReference(true).register(registry);
        }
    }

    /**
     * One health probe's latest result.
     *
     * @param service the probed service in lower case ({@code ssh}, {@code scheduler}, {@code filesystem}, {@code s3})
     * @param path the probed file system for {@code filesystem}, else empty
     */
    public record HealthReading(String system, String service, String path, boolean healthy, double latencySeconds,
                                Instant checkedAt) {
        public HealthReading {
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(checkedAt, "checkedAt");
        }
    }

    private record HealthKey(String system, String service, String path) {}

    /** Health gauges, from {@code source} read at each scrape (the health monitor's latest results). */
    public void watchHealth(Supplier<List<HealthReading>> source, Clock clock) {
        this.healthSource = source;
        this.clock = clock;
    }

    private void refreshHealth() {
        for (HealthReading reading : healthSource.get()) {
            HealthKey key = new HealthKey(reading.system(), reading.service(), reading.path());
            if (health.put(key, reading) == null) {
                registerHealthGauges(key);
            }
        }
    }

    private void registerHealthGauges(HealthKey key) {
        Tags tags = Tags.of("system", key.system(), "service", key.service(), "path", key.path());
        Gauge.builder("goldcrest.health.check.up", health, readings -> readings.get(key).healthy() ? 1 : 0)
                .description("1 when the latest health probe of the service passed, else 0")
                .tags(tags).strongReference(true).register(registry);
        Gauge.builder("goldcrest.health.check.latency", health, readings -> readings.get(key).latencySeconds())
                .description("How long the latest health probe took").baseUnit("seconds")
                .tags(tags).strongReference(true).register(registry);
        Gauge.builder("goldcrest.health.check.age", health,
                        readings -> Duration.between(readings.get(key).checkedAt(), clock.instant()).toMillis() / 1000.0)
                .description("Time since the latest health probe started").baseUnit("seconds")
                .tags(tags).strongReference(true).register(registry);
    }

    /** Every metric in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        refreshHealth();
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
