package io.goldcrest.api;

import io.goldcrest.config.MetricsConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.metrics.Metrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Prometheus metrics over HTTP, and what each request adds to them. {@code GET /metrics} is served on
 * a listener of its own ({@code goldcrest.metrics.port}, no authentication: bind it where only the
 * scraper reaches), and/or on the API's port to a caller presenting {@code goldcrest.metrics.token}.
 */
public final class MetricsEndpoint {
    public static final String PATH = "/metrics";
    /** Set once a request passed every gateway check (its value: the route's service, or "none"). */
    private static final String ADMITTED = "goldcrest.admitted";

    private MetricsEndpoint() {}

    /** Token mode: {@code GET /metrics} on the API's port, outside the OIDC authentication. */
    static void register(Javalin app, String prefix, MetricsConfig config, Metrics metrics) {
        if (!config.enabled() || config.token().isEmpty()) {
            return;
        }
        byte[] expected = sha256(config.token().get().reveal());
        app.get(prefix + PATH, ctx -> {
            if (!presents(ctx.header("Authorization"), expected)) {
                throw new GoldcrestException(ErrorCode.NOT_AUTHENTICATED, "Not authenticated");
            }
            answer(ctx, metrics);
        }, Access.PUBLIC);
    }

    /** Port mode: starts the separate listener, serving {@code GET /metrics} only; empty when none is configured. */
    public static Optional<Javalin> serve(MetricsConfig config, Metrics metrics) {
        if (!config.enabled() || config.port().isEmpty()) {
            return Optional.empty();
        }
        Javalin server = Javalin.create(javalin -> {
            javalin.useVirtualThreads = true;
            javalin.showJavalinBanner = false;
            javalin.jetty.addConnector((jetty, httpConfig) -> {
                ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(httpConfig));
                connector.setHost(config.host());
                connector.setPort(config.port().get());
                return connector;
            });
        });
        server.get(PATH, ctx -> answer(ctx, metrics));
        server.start();
        return Optional.of(server);
    }

    private static void answer(Context ctx, Metrics metrics) {
        ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape());
    }

    /**
     * Compares digests of the two tokens with {@link MessageDigest#isEqual}: the time taken says
     * nothing about how much of the token was right, nor its length.
     */
    private static boolean presents(String header, byte[] expected) {
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(sha256(header.substring(7).trim()), expected);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The gateway let the request through: a 429 after this came from the per-user SSH queue, not a filter. */
    static void admitted(Context ctx, Optional<RouteScope> scope) {
        ctx.attribute(ADMITTED, RouteScope.label(scope));
    }

    /**
     * Counts and times one answered request by route template ({@link Metrics#UNMATCHED} when none
     * matched). The gateway's filters count their own denials; a 429 of an admitted request can only be
     * the per-user SSH queue's (the one other source of RATE_LIMITED), counted here as {@code ssh_queue}.
     */
    static void record(Context ctx, float durationMillis, Metrics metrics) {
        String route = AccessLog.route(ctx);
        int status = ctx.statusCode();
        metrics.request(ctx.method().name(), route == null ? Metrics.UNMATCHED : route, status, (long) (durationMillis * 1_000_000.0));
        String service = ctx.attribute(ADMITTED);
        if (status == 429 && service != null) {
            metrics.denied("ssh_queue", service);
        }
    }
}
