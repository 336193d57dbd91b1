package io.goldcrest.status;

import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.ClusterConfig.ProbeService;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.scheduler.ControllerPing;
import io.goldcrest.scheduler.Scheduler;
import io.goldcrest.ssh.CommandRunner;
import io.goldcrest.ssh.SshPool;
import io.goldcrest.storage.Staging;
import io.goldcrest.status.ServiceHealth.ServiceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically probes each cluster's SSH login, scheduler and file systems (those enabled under
 * {@code probing.services}), concurrently, each bounded by its own timeout, and keeps the latest
 * complete run. Probes run as {@code clusters[].goldcrest.probe_user} through the same pool and
 * delegation as user requests, so they test the path requests take.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final GoldcrestConfig config;
    private final SshPool pool;
    private final Map<String, Scheduler> schedulers;
    private final Map<String, Staging> stagings;
    private final Clock clock;
    private final Map<String, ClusterHealth> latest = new ConcurrentHashMap<>();
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("health-timer").factory());

    /** @param stagings the S3 staging of each cluster that has one, probed when {@code probing.services.s3} is set */
    public HealthMonitor(GoldcrestConfig config, SshPool pool, Map<String, Scheduler> schedulers, Map<String, Staging> stagings,
                         Clock clock) {
        this.config = config;
        this.pool = pool;
        this.schedulers = Map.copyOf(schedulers);
        this.stagings = Map.copyOf(stagings);
        this.clock = clock;
    }

    /** Schedules every cluster that has probes configured; the first run starts at once. */
    public void start() {
        for (ClusterConfig cluster : config.clusters()) {
            if (cluster.probing().services().isEmpty()) {
                continue;
            }
            long period = cluster.probing().interval().toMillis();
            // The timer thread only hands runs to virtual threads, so a slow cluster delays no other.
            timer.scheduleAtFixedRate(() -> probes.submit(() -> runSafely(cluster)), 0, period, TimeUnit.MILLISECONDS);
        }
    }

    public ClusterHealth health(String cluster) {
        return latest.getOrDefault(cluster, ClusterHealth.NONE);
    }

    /** When each cluster's latest run ended, for the liveness endpoint; clusters without a run are absent. */
    public Map<String, Instant> lastRuns() {
        Map<String, Instant> runs = new LinkedHashMap<>();
        for (ClusterConfig cluster : config.clusters()) {
            health(cluster.name()).lastHealthCheck().ifPresent(time -> runs.put(cluster.name(), time));
        }
        return runs;
    }

    private void runSafely(ClusterConfig cluster) {
        try {
            runOnce(cluster);
        } catch (RuntimeException e) {
            LOG.error("health run of cluster {} failed", cluster.name(), e);
        }
    }

    /** Runs every enabled probe of the cluster once and publishes the results. */
    public ClusterHealth runOnce(ClusterConfig cluster) {
        Map<ProbeService, Duration> services = cluster.probing().services().orElse(Map.of());
        List<ServiceHealth> results;
        if (cluster.probeUser().isEmpty()) {
            results = List.of(new ServiceHealth(ServiceType.EXCEPTION, clock.instant(), 0, false,
                    Optional.of("Cluster HealthChecker execution failed with error: no probe identity; set clusters[].goldcrest.probe_user"),
                    Optional.empty()));
        } else {
            CommandRunner runner = pool.runner(cluster.name(), cluster.probeUser().get());
            List<CompletableFuture<ServiceHealth>> pending = new ArrayList<>();
            services.forEach((service, timeout) -> {
                switch (service) {
                    case SSH -> pending.add(probe(ServiceType.SSH, timeout, Optional.empty(), () -> {
                        runner.run(ProbeCommand.ssh());
                        return Optional.empty();
                    }));
                    case SCHEDULER -> pending.add(probe(ServiceType.SCHEDULER, timeout, Optional.empty(),
                            () -> schedulerProbe(cluster, runner)));
                    case FILESYSTEM -> cluster.fileSystems().forEach(fileSystem ->
                            pending.add(probe(ServiceType.FILESYSTEM, timeout, Optional.of(fileSystem.path()), () -> {
                                runner.run(ProbeCommand.path(fileSystem.path()));
                                return Optional.empty();
                            })));
                    // A cluster without S3 staging has nothing to probe, as in FirecREST.
                    case S3 -> {
                        Staging staging = stagings.get(cluster.name());
                        if (staging != null) {
                            pending.add(probe(ServiceType.S3, timeout, Optional.empty(), () -> {
                                staging.probe();
                                return Optional.empty();
                            }));
                        }
                    }
                }
            });
            results = pending.stream().map(CompletableFuture::join).toList();
        }
        ClusterHealth health = new ClusterHealth(Optional.of(results), Optional.of(clock.instant()));
        latest.put(cluster.name(), health);
        return health;
    }

    private Optional<String> schedulerProbe(ClusterConfig cluster, CommandRunner runner) {
        List<ControllerPing> pings = schedulers.get(cluster.name()).ping(runner);
        String summary = pings.stream().map(ping -> ping.mode() + " " + ping.hostname() + " " + ping.pinged())
                .collect(Collectors.joining(", "));
        if (pings.isEmpty() || !pings.stream().allMatch(ControllerPing::isUp)) {
            throw new IllegalStateException(pings.isEmpty() ? "no controller answered" : summary);
        }
        return Optional.of(summary);
    }

    /** Runs one probe on a virtual thread; a failure or timeout becomes an unhealthy result with the reason. */
    private CompletableFuture<ServiceHealth> probe(ServiceType type, Duration timeout, Optional<String> path,
                                                   Supplier<Optional<String>> check) {
        Instant started = clock.instant();
        CompletableFuture<Optional<String>> run = CompletableFuture.supplyAsync(check, probes);
        return CompletableFuture.supplyAsync(() -> {
            boolean healthy;
            Optional<String> message;
            try {
                message = run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                healthy = true;
            } catch (TimeoutException e) {
                run.cancel(true);
                healthy = false;
                message = Optional.of("no answer within " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                healthy = false;
                message = Optional.of(String.valueOf(e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                healthy = false;
                message = Optional.of("interrupted");
            }
            double latency = Duration.between(started, clock.instant()).toNanos() / 1e9;
            return new ServiceHealth(type, started, latency, healthy, message, path);
        }, probes);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        probes.shutdownNow();
    }
}
