package io.goldcrest.api;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.javalin.http.Context;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that knows HTTP status codes: turns every failure into FirecREST's error body. */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    static final String WRITTEN = "goldcrest.error-written";

    private ErrorMapper() {}

    public static int status(ErrorCode code) {
        return switch (code) {
            case NOT_AUTHENTICATED, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_KEY_UNKNOWN, TOKEN_EXPIRES_TOO_SOON -> 401;
            case TOKEN_USERNAME_MISSING, INVALID_PARAMETER, PATH_CONFLICT, JOB_REJECTED, TRANSFER_METHOD_UNAVAILABLE -> 400;
            case CLIENT_NOT_ALLOWED, USER_NOT_ALLOWED, NO_SSH_CREDENTIALS, PATH_PERMISSION_DENIED, JOB_LIMIT_EXCEEDED, TASK_FORBIDDEN -> 403;
            case SYSTEM_NOT_FOUND, ROUTE_NOT_FOUND, PATH_NOT_FOUND, JOB_NOT_FOUND, TASK_NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case SSH_CONNECT_TIMEOUT, COMMAND_TIMEOUT -> 408;
            case OUTPUT_TOO_LARGE, FILE_TOO_LARGE -> 413;
            case SSH_CONNECTION_FAILED, SSH_AUTHENTICATION_FAILED, SSH_HOST_KEY_REJECTED, SSH_CHANNEL_FAILED, SSH_POOL_FULL -> 424;
            case SERVICE_UNHEALTHY, TASK_STORE_UNAVAILABLE, STAGING_UNAVAILABLE -> 503;
            case SCHEDULER_ERROR, REMOTE_COMMAND_FAILED, INTERNAL -> 500;
        };
    }

    static void handle(GoldcrestException exception, Context ctx) {
        int status = status(exception.code());
        if (status >= 500) {
            LOG.warn("request {} failed: {} {}", RequestContext.requestId(ctx), exception.code(), exception.getMessage(), exception);
        }
        if (exception.code() == ErrorCode.NOT_AUTHENTICATED) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ErrorBody.ValidationData data = exception instanceof ValidationException validation
                ? new ErrorBody.ValidationData(List.of(validation.field()))
                : null;
        List<String> causes = exception.causedBy();
        write(ctx, status, new ErrorBody(data == null ? "error" : "validation", exception.getMessage(),
                causes.isEmpty() ? null : causes, data, RequestContext.username(ctx).orElse(null)));
    }

    /** Anything unexpected: logged once with the request id, answered with a plain 500. */
    static void handleUnexpected(Exception exception, Context ctx) {
        String requestId = RequestContext.requestId(ctx);
        LOG.error("request {} failed unexpectedly", requestId, exception);
        write(ctx, 500, new ErrorBody("error", "Internal server error (request id " + requestId + ")", null, null, null));
    }

    /** Unmatched routes and methods; skipped when a handler already wrote an error body. */
    static void handleStatus(Context ctx, ErrorCode code, String message) {
        if (ctx.attribute(WRITTEN) != null) {
            return;
        }
        write(ctx, status(code), new ErrorBody("error", message, null, null, RequestContext.username(ctx).orElse(null)));
    }

    private static void write(Context ctx, int status, ErrorBody body) {
        RequestContext.username(ctx).ifPresent(user -> ctx.header("F7T-AuthUsername", user));
        ctx.attribute(WRITTEN, Boolean.TRUE);
        ctx.status(status).json(body);
    }
}
