package io.goldcrest.api;

import io.goldcrest.api.docs.DocsRoutes;
import io.goldcrest.api.v2.ComputeRoutes;
import io.goldcrest.api.v2.DiscoveryRoutes;
import io.goldcrest.api.v2.FilesystemRoutes;
import io.goldcrest.api.v2.StatusRoutes;
import io.goldcrest.api.v2.TaskRoutes;
import io.goldcrest.api.v2.TransferRoutes;
import io.goldcrest.api.v1.V1Api;
import io.goldcrest.audit.AuditScope;
import io.goldcrest.auth.Principal;
import io.goldcrest.auth.TokenVerifier;
import io.goldcrest.compute.ComputeService;
import io.goldcrest.config.BuildInfo;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.filesystem.FilesystemService;
import io.goldcrest.gateway.Gateway;
import io.goldcrest.metrics.Metrics;
import io.goldcrest.ssh.SshPool;
import io.goldcrest.status.StatusService;
import io.goldcrest.storage.TransferService;
import io.goldcrest.tasks.TaskService;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Instant;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** Builds the HTTP application: cross-cutting filters, the error mapper and every route. */
public final class ApiApp {
    private static final int ACCEPT_QUEUE = 1024;

    private ApiApp() {}

    public static Javalin create(GoldcrestConfig config, TokenVerifier verifier, StatusService status,
                                 FilesystemService files, ComputeService compute, TransferService transfers,
                                 TaskService tasks, SshPool pool, Clock clock, Gateway gateway, Metrics metrics) {
        // Uploads above 64 KiB are spooled to disk by Jetty, never held in memory; Jetty itself
        // refuses parts over the largest cluster limit (the route checks each cluster's own).
        long largestUpload = config.clusters().stream().mapToLong(cluster -> cluster.dataOperation().maxOpsFileSize()).max().orElse(0);
        Javalin app = Javalin.create(javalin -> {
            javalin.useVirtualThreads = true;
            javalin.showJavalinBanner = false;
            javalin.http.prefer405over404 = true;
            // FirecREST lower-cases paths before routing, so system names are case-insensitive.
            javalin.router.caseInsensitiveRoutes = true;
            javalin.router.ignoreTrailingSlashes = true;
            javalin.jsonMapper(new JavalinJackson(Json.MAPPER, true));
            javalin.requestLogger.http((ctx, durationMillis) -> {
                AccessLog.log(ctx, durationMillis);
                MetricsEndpoint.record(ctx, durationMillis, metrics);
                AuditScope.clear();
            });
            javalin.jetty.multipartConfig.maxInMemoryFileSize(64, SizeUnit.KB);
            javalin.jetty.multipartConfig.maxFileSize(largestUpload + 1, SizeUnit.BYTES);
            javalin.jetty.multipartConfig.maxTotalRequestSize(largestUpload + 1024 * 1024, SizeUnit.BYTES);
            // Jetty's default listen backlog is 50: a burst of new clients (500 at once in the benchmark)
            // overflowed it and retried SYNs after 1-7 s, which made the latency tail.
            javalin.jetty.addConnector((server, httpConfig) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                connector.setHost(config.server().host());
                connector.setPort(config.server().port());
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
            });
        });

        app.before(ctx -> {
            RequestContext.assignIds(ctx);
            // Replaces whatever an earlier request on this thread left; the client is added after authentication.
            AuditScope.enter(RequestContext.requestId(ctx), null);
            Instant now = clock.instant();
            ctx.header("F7T-Timestamp", String.format(Locale.ROOT, "%d.%06d", now.getEpochSecond(), now.getNano() / 1_000));
            ctx.header("F7T-AppVersion", config.appVersion());
        });
        AccessFilter access = new AccessFilter(config, gateway, metrics);
        RateLimitFilter limits = new RateLimitFilter(gateway, metrics);
        String v1Prefix = config.v1().enabled() ? config.v1().prefix() : "";
        // Order matters: the address lists, then who is asking, what the policy lets them do, and
        // how much of it; all before the handler does any SSH work.
        app.beforeMatched(ctx -> {
            Optional<RouteScope> scope = RouteScope.of(ctx.method(), ctx.endpointHandlerPath(), config.apisRootPath(), v1Prefix);
            if (ctx.routeRoles().contains(Access.PUBLIC)) {
                limits.limitAnonymous(ctx);
                MetricsEndpoint.admitted(ctx, scope);
                return;
            }
            Principal principal = authenticate(ctx, verifier);
            access.authorize(ctx, principal, scope);
            limits.limitUser(ctx, principal, scope);
            MetricsEndpoint.admitted(ctx, scope);
        });

        app.exception(GoldcrestException.class, ErrorMapper::handle);
        app.exception(Exception.class, ErrorMapper::handleUnexpected);
        app.error(404, ctx -> ErrorMapper.handleStatus(ctx, ErrorCode.ROUTE_NOT_FOUND, "Not Found"));
        app.error(405, ctx -> ErrorMapper.handleStatus(ctx, ErrorCode.METHOD_NOT_ALLOWED, "Method Not Allowed"));

        // FirecREST serves its routes both with and without apis_root_path, so a gateway may strip it or not.
        StatusRoutes statusRoutes = new StatusRoutes(status);
        FilesystemRoutes filesystemRoutes = new FilesystemRoutes(status, files);
        ComputeRoutes computeRoutes = new ComputeRoutes(status, compute);
        TransferRoutes transferRoutes = new TransferRoutes(status, filesystemRoutes, transfers);
        TaskRoutes taskRoutes = new TaskRoutes(tasks);
        BuildInfo build = BuildInfo.current();
        DocsRoutes docsRoutes = new DocsRoutes(config, build);
        DiscoveryRoutes discoveryRoutes = new DiscoveryRoutes(config, status, build);
        for (String prefix : config.apisRootPath().isEmpty() ? List.of("") : List.of("", config.apisRootPath())) {
            statusRoutes.register(app, prefix);
            filesystemRoutes.register(app, prefix);
            computeRoutes.register(app, prefix);
            transferRoutes.register(app, prefix);
            taskRoutes.register(app, prefix);
            MetricsEndpoint.register(app, prefix, config.metrics(), metrics);
            docsRoutes.register(app, prefix);
            discoveryRoutes.register(app, prefix);
        }
        if (config.v1().enabled()) {
            new V1Api(config, status, files, compute, transfers, tasks, pool, clock).register(app);
        }
        // Registered last so that v1's own before filter has marked its requests (its error shape).
        app.before(access::screen);
        // After the address lists, so a refused address gets no preflight answer either.
        app.before(new Cors(config.gateway())::apply);
        return app;
    }

    /** The port actually bound (configured port 0 means any free one). */
    public static int port(Javalin app) {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    private static Principal authenticate(Context ctx, TokenVerifier verifier) {
        String header = ctx.header("Authorization");
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            throw new GoldcrestException(ErrorCode.NOT_AUTHENTICATED, "Not authenticated");
        }
        Principal principal = verifier.verify(header.substring(7).trim());
        RequestContext.setPrincipal(ctx, principal);
        AuditScope.enter(RequestContext.requestId(ctx), principal.clientId().orElse(null));
        return principal;
    }

    /** FirecREST's query booleans: true/false/1/0/yes/no/on/off/t/f/y/n; empty means not given. */
    public static boolean queryBoolean(Context ctx, String name, boolean defaultValue) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        return booleanWord(value).orElseThrow(() ->
                new ValidationException("query", name, "input should be a valid boolean, unable to interpret input"));
    }

    static Optional<Boolean> booleanWord(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on", "t", "y" -> Optional.of(true);
            case "false", "0", "no", "off", "f", "n" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** An optional integer query parameter; empty means not given. */
    public static OptionalLong queryLong(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new ValidationException("query", name, "input should be a valid integer, unable to parse string as an integer");
        }
    }
}
