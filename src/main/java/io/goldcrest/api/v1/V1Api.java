package io.goldcrest.api.v1;

import io.goldcrest.api.ErrorMapper;
import io.goldcrest.compute.ComputeService;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.filesystem.FilesystemService;
import io.goldcrest.ssh.SshPool;
import io.goldcrest.status.StatusService;
import io.goldcrest.storage.TransferService;
import io.goldcrest.tasks.TaskService;
import io.javalin.Javalin;
import java.time.Clock;

/**
 * FirecREST's v1 API under {@code goldcrest.v1.prefix}: status, utilities, compute, storage, tasks and
 * reservations, answered by the same services as v2 (v1 tasks are the Tasks service's tasks).
 */
public final class V1Api {
    private final V1Services services;

    public V1Api(GoldcrestConfig config, StatusService status, FilesystemService files, ComputeService compute,
                 TransferService transfers, TaskService tasks, SshPool pool, Clock clock) {
        this.services = new V1Services(config, status, files, compute, transfers, new V1Tasks(tasks, config.v1().prefix()), pool, clock);
    }

    /** The FirecREST v1 version served, as {@code /status/parameters} announces it. */
    public static String firecrestVersion() {
        return V1StatusRoutes.FIRECREST_VERSION;
    }

    public void register(Javalin app) {
        String prefix = services.config().v1().prefix();
        // Before authentication, so that a missing or bad token is answered in v1's shape too.
        app.before(prefix + "/*", ErrorMapper::markV1);
        new V1StatusRoutes(services).register(app, prefix);
        new V1UtilitiesRoutes(services).register(app, prefix);
        new V1ComputeRoutes(services).register(app, prefix);
        new V1StorageRoutes(services).register(app, prefix);
        new V1ReservationRoutes(services).register(app, prefix);
        new V1TaskRoutes(services).register(app, prefix);
    }
}
