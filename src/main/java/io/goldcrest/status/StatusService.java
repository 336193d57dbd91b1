package io.goldcrest.status;

import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.Account;
import io.goldcrest.scheduler.Node;
import io.goldcrest.scheduler.Partition;
import io.goldcrest.scheduler.Reservation;
import io.goldcrest.scheduler.Scheduler;
import io.goldcrest.scheduler.UserAnswerCache;
import io.goldcrest.ssh.CommandRunner;
import io.goldcrest.ssh.Concurrently;
import io.goldcrest.ssh.SshPool;
import io.goldcrest.status.ServiceHealth.ServiceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The status service: configured systems with their health, and per-user views of the scheduler. */
public final class StatusService {
    private final GoldcrestConfig config;
    private final SshPool pool;
    private final Map<String, Scheduler> schedulers;
    private final HealthMonitor health;
    private final Clock clock;
    private static final String ACCOUNTS = "accounts";
    /** Two sacctmgr round trips to slurmdbd per lookup, while associations change rarely. */
    private final UserAnswerCache<String, Optional<List<Account>>> accounts;
    /** Slurm is upgraded rarely and a restart is not needed to see it: the answer is asked again hourly. */
    private static final Duration VERSION_TTL = Duration.ofHours(1);
    private final UserAnswerCache<String, String> versions;

    public StatusService(GoldcrestConfig config, SshPool pool, Map<String, Scheduler> schedulers, HealthMonitor health, Clock clock) {
        this.config = config;
        this.pool = pool;
        this.schedulers = Map.copyOf(schedulers);
        this.health = health;
        this.clock = clock;
        this.accounts = new UserAnswerCache<>(clock);
        this.versions = new UserAnswerCache<>(clock);
    }

    public record SystemStatus(ClusterConfig cluster, ClusterHealth health) {}

    /** @param lastUpdateSeconds age of the oldest cluster's latest run; 0 before any run */
    public record Liveness(Map<String, Instant> healthcheckRuns, long lastUpdateSeconds) {}

    public record UserInfo(UserIdentity identity, Optional<List<Account>> accounts) {}

    /** The scheduler's version as the system reports it, or why it is not known. */
    public record SchedulerVersion(Optional<String> version, Optional<String> unknownReason) {}

    public List<SystemStatus> systems() {
        return config.clusters().stream().map(cluster -> new SystemStatus(cluster, health.health(cluster.name()))).toList();
    }

    public Liveness liveness() {
        Map<String, Instant> runs = health.lastRuns();
        Instant now = clock.instant();
        long oldest = runs.values().stream().mapToLong(time -> Duration.between(time, now).toSeconds()).max().orElse(0);
        return new Liveness(runs, Math.max(0, oldest));
    }

    /**
     * @throws GoldcrestException {@code SYSTEM_NOT_FOUND} for an unknown system name (case-insensitive)
     */
    public ClusterConfig system(String name) {
        return config.cluster(name.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new GoldcrestException(ErrorCode.SYSTEM_NOT_FOUND, "System not found"));
    }

    public List<Node> nodes(String system, String username) {
        ClusterConfig cluster = system(system);
        return scheduler(cluster).nodes(pool.runner(cluster.name(), username));
    }

    public List<Partition> partitions(String system, String username, boolean showHidden) {
        ClusterConfig cluster = system(system);
        return scheduler(cluster).partitions(pool.runner(cluster.name(), username), showHidden);
    }

    public List<Reservation> reservations(String system, String username) {
        ClusterConfig cluster = system(system);
        return scheduler(cluster).reservations(pool.runner(cluster.name(), username));
    }

    /** The user's identity and scheduler accounts (cached), looked up concurrently over one connection. */
    public UserInfo userInfo(String system, String username) {
        ClusterConfig cluster = system(system);
        requireHealthy(cluster, ServiceType.SSH);
        CommandRunner runner = pool.runner(cluster.name(), username);
        Scheduler scheduler = scheduler(cluster);
        CompletableFuture<UserIdentity> identity = Concurrently.start(() -> runner.run(new IdCommand()));
        CompletableFuture<Optional<List<Account>>> userAccounts = Concurrently.start(() -> accounts.get(
                cluster.name(), username, ACCOUNTS, cluster.accountsCacheTtl(), () -> scheduler.accounts(runner)));
        return new UserInfo(Concurrently.join(identity), Concurrently.join(userAccounts));
    }

    /** The user's identity on the cluster, as {@code id} tells it. */
    public UserIdentity identity(ClusterConfig cluster, String username) {
        requireHealthy(cluster, ServiceType.SSH);
        return pool.runner(cluster.name(), username).run(new IdCommand());
    }

    /**
     * The version of the scheduler's commands on the login node, asked as the system's
     * {@code probe_user} (the one account Goldcrest uses on its own behalf) and kept for an hour;
     * failures are not kept, so a later call asks again.
     */
    public SchedulerVersion schedulerVersion(ClusterConfig cluster) {
        if (cluster.probeUser().isEmpty()) {
            return unknownVersion("no probe_user is configured for this system");
        }
        boolean sshDown = health.health(cluster.name()).latest(ServiceType.SSH).filter(result -> !result.healthy()).isPresent();
        if (sshDown) {
            return unknownVersion("the system's latest SSH probe failed");
        }
        String user = cluster.probeUser().get();
        try {
            String version = versions.get(cluster.name(), user, "version", VERSION_TTL,
                    () -> scheduler(cluster).version(pool.runner(cluster.name(), user)));
            return new SchedulerVersion(Optional.of(version), Optional.empty());
        } catch (GoldcrestException e) {
            return unknownVersion("asking the system failed: " + e.getMessage());
        }
    }

    private static SchedulerVersion unknownVersion(String reason) {
        return new SchedulerVersion(Optional.empty(), Optional.of(reason));
    }

    /** FirecREST's health gating: a service whose latest probe failed answers 503 at once. */
    public void requireHealthy(ClusterConfig cluster, ServiceType type) {
        health.health(cluster.name()).latest(type).ifPresent(result -> {
            if (!result.healthy()) {
                throw new GoldcrestException(ErrorCode.SERVICE_UNHEALTHY, "The " + type.name().toLowerCase(Locale.ROOT)
                        + " service for the requested system (" + cluster.name() + ") is unhealthy.");
            }
        });
    }

    /** A file system whose latest probe failed answers 503, before any command is sent. */
    public void requireHealthyFileSystem(ClusterConfig cluster, String fileSystemPath) {
        health.health(cluster.name()).services().orElse(List.of()).stream()
                .filter(result -> result.serviceType() == ServiceType.FILESYSTEM && result.path().equals(Optional.of(fileSystemPath)))
                .filter(result -> !result.healthy())
                .findFirst()
                .ifPresent(result -> {
                    throw new GoldcrestException(ErrorCode.SERVICE_UNHEALTHY,
                            "The requested filesystem (" + fileSystemPath + " on " + cluster.name() + ") is unhealthy.");
                });
    }

    private Scheduler scheduler(ClusterConfig cluster) {
        return schedulers.get(cluster.name());
    }
}
