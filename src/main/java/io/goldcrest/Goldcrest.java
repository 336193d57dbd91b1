package io.goldcrest;

import io.goldcrest.api.ApiApp;
import io.goldcrest.api.MetricsEndpoint;
import io.goldcrest.api.docs.ServedRoute;
import io.goldcrest.audit.AuditLog;
import io.goldcrest.auth.TokenVerifier;
import io.goldcrest.gateway.Gateway;
import io.goldcrest.metrics.Metrics;
import io.goldcrest.compute.ComputeService;
import io.goldcrest.storage.S3Staging;
import io.goldcrest.storage.Staging;
import io.goldcrest.storage.TransferService;
import io.goldcrest.tasks.TaskIds;
import io.goldcrest.tasks.TaskService;
import io.goldcrest.tasks.TaskStore;
import io.goldcrest.tasks.TaskStores;
import io.goldcrest.tasks.TaskWatcher;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.ConfigException;
import io.goldcrest.config.GatewayConfig;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.delegation.CertificateAuthority;
import io.goldcrest.delegation.CredentialSource;
import io.goldcrest.delegation.StaticKeys;
import io.goldcrest.filesystem.FilesystemService;
import io.goldcrest.scheduler.Scheduler;
import io.goldcrest.scheduler.slurm.SlurmScheduler;
import io.goldcrest.ssh.RemoteOperationListener;
import io.goldcrest.ssh.SshPool;
import io.goldcrest.status.HealthMonitor;
import io.goldcrest.status.ServiceHealth;
import io.goldcrest.status.StatusService;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The composition root: wires every part with {@code new} and owns their lifecycles. */
public final class Goldcrest implements AutoCloseable {
    private final SshPool pool;
    private final HealthMonitor health;
    private final TaskStore taskStore;
    private final Map<String, Staging> stagings;
    private final TaskWatcher watcher;
    private final Gateway gateway;
    private final Javalin app;
    private final Metrics metrics;
    private final Optional<Javalin> metricsServer;

    private Goldcrest(SshPool pool, HealthMonitor health, TaskStore taskStore, Map<String, Staging> stagings,
                      TaskWatcher watcher, Gateway gateway, Javalin app, Metrics metrics, Optional<Javalin> metricsServer) {
        this.metrics = metrics;
        this.metricsServer = metricsServer;
        this.pool = pool;
        this.health = health;
        this.taskStore = taskStore;
        this.stagings = stagings;
        this.watcher = watcher;
        this.gateway = gateway;
        this.app = app;
    }

    /**
     * Builds everything and starts listening.
     *
     * @throws ConfigException when a part of the configuration is unusable (CA key, host keys, static keys)
     */
    public static Goldcrest start(GoldcrestConfig config, Clock clock) {
        return start(config, clock, RemoteOperationListener.NONE);
    }

    /**
     * The same, with one more listener told of every remote operation after the audit log and the
     * metrics (a test counting operations on its own, an embedding application).
     */
    public static Goldcrest start(GoldcrestConfig config, Clock clock, RemoteOperationListener observer) {
        CredentialSource credentials = credentials(config, clock);
        Metrics metrics = new Metrics();
        AuditLog audit = new AuditLog(config.audit(), clock);
        SshPool pool = SshPool.start(config, credentials, clock, RemoteOperationListener.all(List.of(audit, metrics, observer)));
        List<String> systems = config.clusters().stream().map(ClusterConfig::name).toList();
        metrics.watchPool(pool, systems);
        Map<String, Scheduler> schedulers = new LinkedHashMap<>();
        for (ClusterConfig cluster : config.clusters()) {
            // The loader accepts only Slurm over SSH for now; PBS will be chosen here by scheduler.type.
            schedulers.put(cluster.name(), new SlurmScheduler());
        }
        Map<String, Staging> stagings = stagings(config);
        HealthMonitor health = new HealthMonitor(config, pool, schedulers, stagings, clock);
        metrics.watchHealth(() -> healthReadings(systems, health), clock);
        StatusService status = new StatusService(config, pool, schedulers, health, clock);
        FilesystemService files = new FilesystemService(pool, clock);
        ComputeService compute = new ComputeService(pool, schedulers, clock);
        TaskStore taskStore = TaskStores.open(config.tasks(), clock);
        TaskService tasks = new TaskService(taskStore, clock, config.tasks().retention());
        TransferService transfers = new TransferService(config.clusters(), pool, compute, stagings, tasks, clock);
        // Each process is its own lease holder, so with a shared store one instance watches a system at a time.
        TaskWatcher watcher = new TaskWatcher(config.clusters(), taskStore, pool, schedulers,
                Map.of(TransferService.SERVICE, transfers), clock, config.tasks().watchInterval(), TaskIds.newId());
        Gateway gateway = Gateway.create(config, pool, clock);
        String groupsClaim = config.gateway().authorization().map(GatewayConfig.Authorization::groupsClaim).orElse("groups");
        Javalin app = ApiApp.create(config, new TokenVerifier(config.auth(), groupsClaim, clock), status, files, compute, transfers, tasks, pool, clock,
                gateway, metrics);
        Optional<Javalin> metricsServer = MetricsEndpoint.serve(config.metrics(), metrics);
        health.start();
        watcher.start();
        // The connector (host, port, backlog) is ApiApp's own; start() without arguments adds no other.
        app.start();
        return new Goldcrest(pool, health, taskStore, stagings, watcher, gateway, app, metrics, metricsServer);
    }

    /** The health monitor's latest results as metric readings (the status package stays free of metrics). */
    private static List<Metrics.HealthReading> healthReadings(List<String> systems, HealthMonitor health) {
        List<Metrics.HealthReading> readings = new ArrayList<>();
        for (String system : systems) {
            for (ServiceHealth result : health.health(system).services().orElse(List.of())) {
                readings.add(new Metrics.HealthReading(system, result.serviceType().name().toLowerCase(Locale.ROOT),
                        result.path().orElse(""), result.healthy(), result.latencySeconds(), result.lastChecked()));
            }
        }
        return readings;
    }

    private static Map<String, Staging> stagings(GoldcrestConfig config) {
        Map<String, Staging> stagings = new LinkedHashMap<>();
        for (ClusterConfig cluster : config.clusters()) {
            if (cluster.dataOperation().dataTransfer().orElse(null) instanceof ClusterConfig.S3Transfer s3) {
                stagings.put(cluster.name(), S3Staging.create(s3));
            }
        }
        return stagings;
    }

    private static CredentialSource credentials(GoldcrestConfig config, Clock clock) {
        if (config.delegation().isPresent()) {
            return CertificateAuthority.load(config.delegation().get(), clock);
        }
        return StaticKeys.load(config.staticKeys().orElseThrow(() ->
                new ConfigException(List.of("ssh_credentials: is required unless goldcrest.delegation is set"))));
    }

    public int port() {
        return ApiApp.port(app);
    }

    /** The separate metrics listener's bound port; empty when metrics are not served on a port of their own. */
    public OptionalInt metricsPort() {
        return metricsServer.map(server -> OptionalInt.of(ApiApp.port(server))).orElse(OptionalInt.empty());
    }

    /** The HTTP routes served (the API document's agreement test reads them). */
    public List<ServedRoute> routes() {
        return ServedRoute.of(app);
    }

    public SshPool pool() {
        return pool;
    }

    public HealthMonitor health() {
        return health;
    }

    @Override
    public void close() {
        metricsServer.ifPresent(Javalin::stop);
        app.stop();
        gateway.close();
        watcher.close();
        health.close();
        stagings.values().forEach(Staging::close);
        taskStore.close();
        pool.close();
        metrics.close();
    }
}
