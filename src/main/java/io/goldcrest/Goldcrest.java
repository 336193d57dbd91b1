package io.goldcrest;

import io.goldcrest.api.ApiApp;
import io.goldcrest.auth.TokenVerifier;
import io.goldcrest.compute.ComputeService;
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
    private final Javalin app;

    private Goldcrest(SshPool pool, HealthMonitor health, Javalin app) {
        this.pool = pool;
        this.health = health;
        this.app = app;
    }

    /**
     * Builds everything and starts listening.
     *
     * @throws ConfigException when a part of the configuration is unusable (CA key, host keys, static keys)
     */
    public static Goldcrest start(GoldcrestConfig config, Clock clock) {
        CredentialSource credentials = credentials(config, clock);
        SshPool pool = SshPool.start(config, credentials, clock);
        Map<String, Scheduler> schedulers = new LinkedHashMap<>();
        for (ClusterConfig cluster : config.clusters()) {
            // The loader accepts only Slurm over SSH for now; PBS will be chosen here by scheduler.type.
            schedulers.put(cluster.name(), new SlurmScheduler());
        }
        HealthMonitor health = new HealthMonitor(config, pool, schedulers, clock);
        StatusService status = new StatusService(config, pool, schedulers, health, clock);
        FilesystemService files = new FilesystemService(pool, clock);
        ComputeService compute = new ComputeService(pool, schedulers, clock);
        Javalin app = ApiApp.create(config, new TokenVerifier(config.auth(), clock), status, files, compute, null, null, clock);
        health.start();
        // The connector (host, port, backlog) is ApiApp's own; start() without arguments adds no other.
        app.start();
        return new Goldcrest(pool, health, app);
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

    public SshPool pool() {
        return pool;
    }

    public HealthMonitor health() {
        return health;
    }

    @Override
    public void close() {
        app.stop();
        health.close();
        pool.close();
    }
}
