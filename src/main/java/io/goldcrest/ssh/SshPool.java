package io.goldcrest.ssh;

import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.delegation.CredentialSource;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** SSH connections to every configured cluster, reused across requests per (cluster, user). */
public final class SshPool implements AutoCloseable {
    /** How often idle connections are looked for, as in FirecREST. */
    private static final Duration REAPER_PERIOD = Duration.ofSeconds(5);

    private final Map<String, ClusterPool> clusters;
    private final Clock clock;
    private final ScheduledExecutorService reaper;

    private SshPool(Map<String, ClusterPool> clusters, Clock clock, ScheduledExecutorService reaper) {
        this.clusters = Map.copyOf(clusters);
        this.clock = clock;
        this.reaper = reaper;
        reaper.scheduleWithFixedDelay(this::closeIdle, REAPER_PERIOD.toMillis(), REAPER_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @throws io.goldcrest.config.ConfigException when a cluster's pinned host key does not parse */
    public static SshPool start(GoldcrestConfig config, CredentialSource credentials, Clock clock) {
        return start(config, credentials, clock, RemoteOperationListener.NONE);
    }

    /** @param listener told of every remote operation when it ends (audit, metrics) */
    public static SshPool start(GoldcrestConfig config, CredentialSource credentials, Clock clock, RemoteOperationListener listener) {
        // One platform thread reaps idle connections and watches SFTP requests for stalls.
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ssh-timer").factory());
        Map<String, ClusterPool> pools = new LinkedHashMap<>();
        for (int index = 0; index < config.clusters().size(); index++) {
            ClusterConfig cluster = config.clusters().get(index);
            pools.put(cluster.name(), new ClusterPool(cluster, HostKeyVerifier.forCluster(cluster, index), credentials, clock, timer,
                    listener, config.gateway().sshQueuePerUser()));
        }
        return new SshPool(pools, clock, timer);
    }

    public CommandRunner runner(String cluster, String username) {
        ClusterPool pool = clusters.get(cluster);
        if (pool == null) {
            throw new GoldcrestException(ErrorCode.SYSTEM_NOT_FOUND, "System not found");
        }
        return new CommandRunner() {
            @Override
            public <T> T run(RemoteCommand<T> command) {
                return pool.run(username, command);
            }

            @Override
            public <T> T files(Function<RemoteFiles, T> operation) {
                return pool.files(username, operation);
            }

            @Override
            public String ask(Agent agent, String request) {
                return pool.ask(username, agent, request);
            }

            @Override
            public String username() {
                return username;
            }
        };
    }

    /** Open connections to the cluster (one per user). */
    public int connectionCount(String cluster) {
        ClusterPool pool = clusters.get(cluster);
        return pool == null ? 0 : pool.connectionCount();
    }

    /** Whether the user has a connection to the cluster, open or being opened. */
    public boolean isConnected(String cluster, String username) {
        ClusterPool pool = clusters.get(cluster);
        return pool != null && pool.isConnected(username);
    }

    /** Channels open to the cluster: exec channels running plus the SFTP and agent channels kept open. */
    public int channelsOpen(String cluster) {
        ClusterPool pool = clusters.get(cluster);
        return pool == null ? 0 : pool.channelsOpen();
    }

    /** Closes the connections idle longer than their cluster's {@code idle_timeout}; returns how many. */
    public int closeIdle() {
        return closeIdle(clock.instant());
    }

    int closeIdle(java.time.Instant now) {
        int closed = 0;
        for (ClusterPool pool : clusters.values()) {
            closed += pool.closeIdle(now);
        }
        return closed;
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        clusters.values().forEach(ClusterPool::close);
    }
}
