package io.goldcrest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.goldcrest.auth.Principal;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One JSON line per request on logger {@code goldcrest.access}. Never includes headers or tokens. */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("goldcrest.access");

    private AccessLog() {}

    /** The matched route template; unmatched requests (404/405) have none. */
    static String route(Context ctx) {
        try {
            return ctx.endpointHandlerPath();
        } catch (IllegalStateException unmatched) {
            return null;
        }
    }

    static void log(Context ctx, float durationMillis) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("request_id", RequestContext.requestId(ctx));
        line.put("method", ctx.method().name());
        line.put("route", route(ctx));
        line.put("path", ctx.path());
        line.put("status", ctx.statusCode());
        line.put("duration_ms", Math.round(durationMillis * 10) / 10.0);
        line.put("user", RequestContext.username(ctx).orElse(null));
        line.put("client_id", RequestContext.principal(ctx).flatMap(Principal::clientId).orElse(null));
        String system = ctx.pathParamMap().get("system_name");
        line.put("system", system == null ? null : system.toLowerCase(java.util.Locale.ROOT));
        line.put("remote", ctx.ip());
        try {
            LOG.info(Json.MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            LOG.warn("cannot write access log line", e);
        }
    }
}
