package io.goldcrest.api.v2;

import io.goldcrest.api.Access;
import io.goldcrest.api.v1.V1Api;
import io.goldcrest.config.BuildInfo;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.ClusterConfig.DataTransfer;
import io.goldcrest.config.ClusterConfig.S3Transfer;
import io.goldcrest.config.ClusterConfig.StreamerTransfer;
import io.goldcrest.config.ClusterConfig.WormholeTransfer;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.ssh.Concurrently;
import io.goldcrest.status.StatusService;
import io.goldcrest.status.StatusService.SchedulerVersion;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /discovery}: what a client needs to know before it calls anything else - the server's
 * version, the APIs served and where, and per system the limits, transfer methods and scheduler.
 * FirecREST v1 told this at {@code /status/parameters}; v2 dropped it.
 *
 * <p>It needs a token, like {@code /status/systems} and v1's parameters: versions help an attacker
 * more than an anonymous client, and the scheduler's version is asked of the system (as its probe user).
 */
public final class DiscoveryRoutes {
    private final GoldcrestConfig config;
    private final StatusService status;
    private final BuildInfo build;

    public DiscoveryRoutes(GoldcrestConfig config, StatusService status, BuildInfo build) {
        this.config = config;
        this.status = status;
        this.build = build;
    }

    public void register(Javalin app, String prefix) {
        app.get(prefix + "/discovery", this::discovery, Access.AUTHENTICATED);
    }

    private void discovery(Context ctx) {
        List<String> v2Paths = config.apisRootPath().isEmpty() ? List.of("/") : List.of("/", config.apisRootPath());
        List<DiscoveryDtos.Api> apis = new ArrayList<>();
        apis.add(new DiscoveryDtos.Api("firecrest-v2", config.appVersion(), v2Paths));
        if (config.v1().enabled()) {
            apis.add(new DiscoveryDtos.Api("firecrest-v1", V1Api.firecrestVersion(), List.of(config.v1().prefix())));
        }
        // Each system's version lookup may cross the network once an hour: all systems at once.
        List<CompletableFuture<DiscoveryDtos.SystemDto>> systems = config.clusters().stream()
                .map(cluster -> Concurrently.start(() -> system(cluster))).toList();
        ctx.json(new DiscoveryDtos.Discovery(new DiscoveryDtos.Server("goldcrest", build.version()), apis,
                new DiscoveryDtos.Documentation("/openapi.json", "/docs"), systems.stream().map(Concurrently::join).toList()));
    }

    private DiscoveryDtos.SystemDto system(ClusterConfig cluster) {
        ClusterConfig.Scheduler scheduler = cluster.scheduler();
        SchedulerVersion version = status.schedulerVersion(cluster);
        return new DiscoveryDtos.SystemDto(cluster.name(),
                new DiscoveryDtos.Limits(cluster.dataOperation().maxOpsFileSize(), cluster.ssh().timeout().commandExecution().toSeconds()),
                cluster.dataOperation().dataTransfer().map(DiscoveryRoutes::transferMethod).stream().toList(),
                new DiscoveryDtos.SchedulerDto(scheduler.type().name().toLowerCase(Locale.ROOT), version.version().orElse(null),
                        scheduler.version(), version.unknownReason().orElse(null)));
    }

    /** Only settings a client plans with: no URL, key or tenant of the staging service. */
    private static DiscoveryDtos.TransferMethod transferMethod(DataTransfer transfer) {
        return switch (transfer) {
            case S3Transfer s3 -> new DiscoveryDtos.TransferMethod("s3", true, s3.multipart().maxPartSize(), s3.ttlSeconds(),
                    null, null);
            // Configured, but TransferRoutes answers 400 for them: Goldcrest moves data through S3 only.
            case StreamerTransfer streamer -> new DiscoveryDtos.TransferMethod("streamer", false, null, null,
                    streamer.waitTimeoutSeconds(), streamer.inboundTransferLimit());
            case WormholeTransfer wormhole -> new DiscoveryDtos.TransferMethod("wormhole", false, null, null, null, null);
        };
    }
}
