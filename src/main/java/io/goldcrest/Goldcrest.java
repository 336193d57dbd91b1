package io.goldcrest;

import io.goldcrest.api.ApiApp;
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
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.delegation.CertificateAuthority;
import io.goldcrest.delegation.CredentialSource;
import io.goldcrest.delegation.StaticKeys;
import io.goldcrest.filesystem.FilesystemService;
import io.goldcrest.scheduler.Scheduler;
import io.goldcrest.scheduler.slurm.SlurmScheduler;
import io.goldcrest.ssh.SshPool;
import io.goldcrest.status.HealthMonitor;
import io.goldcrest.status.StatusService;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The composition root: wires every part with {@code new} and owns their lifecycles. */
public final class Goldcrest implements AutoCloseable {
    private final SshPool pool;
    private final HealthMonitor health;
    private final TaskStore taskStore;
    private final Map<String, Staging> stagings;
    private final TaskWatcher watcher;
    private final Gateway gateway;
    private final Javalin app;

    private Goldcrest(SshPool pool, HealthMonitor health, TaskStore taskStore, Map<String, Staging> stagings,
                      TaskWatcher watcher, Gateway gateway, Javalin app) {
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
        CredentialSource credentials = credentials(config, clock);
        Metrics metrics = new Metrics();
        AuditLog audit = new AuditLog(config.audit());
        SshPool pool = SshPool.start(config, credentials, clock, audit);
        Map<String, Scheduler> schedulers = new LinkedHashMap<>();
        for (ClusterConfig cluster : config.clusters()) {
            // The loader accepts only Slurm over SSH for now; PBS will be chosen here by scheduler.type.
            schedulers.put(cluster.name(), new SlurmScheduler());
        }
        Map<String, Staging> stagings = stagings(config);
        HealthMonitor health = new HealthMonitor(config, pool, schedulers, stagings, clock);
        StatusService status = new StatusService(config, pool, schedulers, health, clock);
        FilesystemService files = new FilesystemService(pool, clock);
        ComputeService compute = new ComputeService(pool, schedulers, clock);
        TaskStore taskStore = TaskStores.open(config.tasks(), clock);
        TaskService tasks = new TaskService(taskStore, clock, config.tasks().retention());
        TransferService transfers = new TransferService(config.clusters(), pool, compute, stagings, tasks, clock);
        // Each process is its own lease holder, so with a shared store one instance watches a system at a time.
        TaskWatcher watcher = new TaskWatcher(config.clusters(), taskStore, pool, schedulers,
                Map.of(TransferService.SERVICE, transfers), clock, config.tasks().watchInterval(), TaskIds.newId());
        Gateway gateway = Gateway.create(config, pool, clock, metrics);
        Javalin app = ApiApp.create(config, new TokenVerifier(config.auth(), clock), status, files, compute, transfers, tasks, pool, clock,
                gateway, metrics);
        health.start();
        watcher.start();
        // The connector (host, port, backlog) is ApiApp's own; start() without arguments adds no other.
        app.start();
        return new Goldcrest(pool, health, taskStore, stagings, watcher, gateway, app);
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
        app.stop();
        gateway.close();
        watcher.close();
        health.close();
        stagings.values().forEach(Staging::close);
        taskStore.close();
        pool.close();
    }
}
