package io.goldcrest.api;

import io.goldcrest.auth.Principal;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Per-request values kept on the Javalin context: request id and the authenticated principal. */
public final class RequestContext {
    private static final String PRINCIPAL = "goldcrest.principal";
    private static final String REQUEST_ID = "goldcrest.request-id";
    /** Only UUIDs are echoed, so a caller cannot inject text into our logs or headers. */
    private static final Pattern UUID_LIKE = Pattern.compile("[0-9a-fA-F]{32}|[0-9a-fA-F-]{36}");

    private RequestContext() {}

    static void assignIds(Context ctx) {
        String requestId = validId(ctx.header("X-Request-ID")).orElseGet(() -> UUID.randomUUID().toString().replace("-", ""));
        String correlationId = validId(ctx.header("X-Correlation-ID")).orElse(requestId);
        ctx.attribute(REQUEST_ID, requestId);
        ctx.header("X-Request-ID", requestId);
        ctx.header("X-Correlation-ID", correlationId);
    }

    private static Optional<String> validId(String value) {
        return value != null && UUID_LIKE.matcher(value).matches() ? Optional.of(value) : Optional.empty();
    }

    public static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        return id == null ? "-" : id;
    }

    static void setPrincipal(Context ctx, Principal principal) {
        ctx.attribute(PRINCIPAL, principal);
    }

    public static Optional<Principal> principal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    /** The authenticated principal; routes marked {@link Access#AUTHENTICATED} always have one. */
    public static Principal requirePrincipal(Context ctx) {
        return principal(ctx).orElseThrow(() -> new GoldcrestException(ErrorCode.NOT_AUTHENTICATED, "Not authenticated"));
    }

    public static Optional<String> username(Context ctx) {
        return principal(ctx).map(Principal::username);
    }
}
