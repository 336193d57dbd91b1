package io.goldcrest.api;

import io.goldcrest.config.GatewayConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for the browser portals of {@code goldcrest.gateway.cors.origins}, and for no other origin.
 * Preflights are answered here, before authentication, since a browser never sends a token with
 * them. Tokens travel in the Authorization header, not in cookies, so credentials are not allowed.
 */
final class Cors {
    private static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE";
    /** Every request header the v2 and v1 APIs read. */
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Machine-Name, X-Task-Id, X-Request-ID, X-Correlation-ID";
    /** The response headers a portal may want to read: ids, limits and v1's error headers. */
    private static final String EXPOSED_HEADERS = String.join(", ",
            "F7T-Timestamp", "F7T-AppVersion", "F7T-AuthUsername", "X-Request-ID", "X-Correlation-ID",
            "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy", "Retry-After",
            "Content-Disposition", "Deprecation", "Sunset", "WWW-Authenticate",
            "X-A-Directory", "X-Error", "X-Exists", "X-Invalid-Group", "X-Invalid-Mode", "X-Invalid-Owner", "X-Invalid-Path",
            "X-Machine-Does-Not-Exist", "X-Machine-Does-Not-Exists", "X-Machine-Not-Available", "X-Not-A-Directory",
            "X-Not-Found", "X-Permission-Denied", "X-Sbatch-Error", "X-Size-Limit", "X-Timeout");

    private final Set<String> origins;
    private final String maxAge;

    Cors(GatewayConfig config) {
        // Browsers send scheme and host in lower case.
        this.origins = config.corsOrigins().stream().map(origin -> origin.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.maxAge = Long.toString(config.corsMaxAge().toSeconds());
    }

    /** Adds the headers for an allowed origin, and answers its preflight (204) without going further. */
    void apply(Context ctx) {
        if (origins.isEmpty()) {
            return;
        }
        // Answers differ by Origin, so caches must keep them apart.
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (origin == null || !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", maxAge);
            ctx.status(HttpStatus.NO_CONTENT);
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
}
