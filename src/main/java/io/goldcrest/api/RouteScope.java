package io.goldcrest.api;

import io.goldcrest.config.AccessLevel;
import io.goldcrest.config.ApiService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;
import java.util.Optional;

/**
 * What a route is, for the gateway: the service it belongs to and whether it only reads or also
 * changes things. Decided in one table from the route template, for v2 and v1 alike, so the
 * authorization policy, the rate limits and the API document agree on it.
 *
 * @param service the service an authorization rule or rate limit names
 * @param needed {@code read-only} for routes that change nothing on the cluster, else {@code read-write}
 */
public record RouteScope(ApiService service, AccessLevel needed) {

    /**
     * @param template the matched route template, e.g. {@code /compute/{system_name}/jobs}, with or
     *     without {@code apis_root_path} or the v1 prefix in front
     * @param v1Prefix where v1 is served ({@code /v1}); empty when v1 is off
     * @return empty for routes outside every service (liveness, the API document, discovery)
     */
    public static Optional<RouteScope> of(HandlerType method, String template, String apisRootPath, String v1Prefix) {
        String path = template.toLowerCase(Locale.ROOT);
        boolean v1 = !v1Prefix.isEmpty() && startsWithSegment(path, v1Prefix.toLowerCase(Locale.ROOT));
        if (v1) {
            path = path.substring(v1Prefix.length());
        } else if (!apisRootPath.isEmpty() && startsWithSegment(path, apisRootPath.toLowerCase(Locale.ROOT))) {
            path = path.substring(apisRootPath.length());
        }
        AccessLevel byMethod = method == HandlerType.GET || method == HandlerType.HEAD ? AccessLevel.READ_ONLY : AccessLevel.READ_WRITE;
        return v1 ? v1Scope(path, byMethod) : v2Scope(path, byMethod);
    }

    private static Optional<RouteScope> v2Scope(String path, AccessLevel byMethod) {
        if (path.equals("/status/liveness")) {
            return Optional.empty();
        }
        if (startsWithSegment(path, "/status")) {
            return scope(ApiService.STATUS, AccessLevel.READ_ONLY);
        }
        if (startsWithSegment(path, "/compute")) {
            return scope(ApiService.COMPUTE, byMethod);
        }
        if (path.startsWith("/filesystem/{system_name}/transfer/")) {
            // A download only reads the cluster (the copy goes to the staging area).
            return scope(ApiService.TRANSFER, path.endsWith("/download") ? AccessLevel.READ_ONLY : AccessLevel.READ_WRITE);
        }
        if (startsWithSegment(path, "/filesystem")) {
            return scope(ApiService.FILESYSTEM, byMethod);
        }
        if (startsWithSegment(path, "/tasks")) {
            return scope(ApiService.TASKS, byMethod);
        }
        return Optional.empty();
    }

    private static Optional<RouteScope> v1Scope(String path, AccessLevel byMethod) {
        if (startsWithSegment(path, "/status")) {
            return scope(ApiService.STATUS, AccessLevel.READ_ONLY);
        }
        if (startsWithSegment(path, "/utilities")) {
            return scope(ApiService.FILESYSTEM, byMethod);
        }
        if (startsWithSegment(path, "/compute") || startsWithSegment(path, "/reservations")) {
            return scope(ApiService.COMPUTE, byMethod);
        }
        if (startsWithSegment(path, "/storage")) {
            // Downloading and withdrawing a download URL change nothing on the cluster.
            boolean reads = path.equals("/storage/xfer-external/download") || path.equals("/storage/xfer-external/invalidate");
            return scope(ApiService.TRANSFER, reads ? AccessLevel.READ_ONLY : AccessLevel.READ_WRITE);
        }
        if (startsWithSegment(path, "/tasks")) {
            return scope(ApiService.TASKS, byMethod);
        }
        return Optional.empty();
    }

    /** The service label of a route's metrics and denials: the service's key, {@code none} outside every service. */
    public static String label(Optional<RouteScope> scope) {
        return scope.map(value -> value.service().key()).orElse(NO_SERVICE);
    }

    /** The label of requests refused before their route, or outside every service. */
    public static final String NO_SERVICE = "none";

    private static Optional<RouteScope> scope(ApiService service, AccessLevel needed) {
        return Optional.of(new RouteScope(service, needed));
    }

    private static boolean startsWithSegment(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /**
     * The system a request is about: v2's {@code {system_name}}, v1's {@code {machinename}} path
     * parameter, or v1's {@code X-Machine-Name} header; lower-cased as systems are matched.
     */
    public static Optional<String> system(Context ctx) {
        String name = ctx.pathParamMap().get("system_name");
        if (name == null) {
            name = ctx.pathParamMap().get("machinename");
        }
        if (name == null && ctx.attribute("goldcrest.v1") != null) {
            name = ctx.header("X-Machine-Name");
        }
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(name.strip().toLowerCase(Locale.ROOT));
    }
}
