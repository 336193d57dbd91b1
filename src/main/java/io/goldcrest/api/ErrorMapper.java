package io.goldcrest.api;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.error.ThrottledException;
import io.javalin.http.Context;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that knows HTTP status codes: turns every failure into FirecREST's error body. */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    static final String WRITTEN = "goldcrest.error-written";
    private static final String V1 = "goldcrest.v1";
    private static final String V1_DESCRIPTION = "goldcrest.v1.description";
    private static final int MAX_HEADER_TEXT = 1024;

    private ErrorMapper() {}

    public static int status(ErrorCode code) {
        return switch (code) {
            case NOT_AUTHENTICATED, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_KEY_UNKNOWN, TOKEN_EXPIRES_TOO_SOON -> 401;
            case TOKEN_USERNAME_MISSING, INVALID_PARAMETER, PATH_CONFLICT, JOB_REJECTED, TRANSFER_METHOD_UNAVAILABLE -> 400;
            case CLIENT_NOT_ALLOWED, USER_NOT_ALLOWED, NO_SSH_CREDENTIALS, PATH_PERMISSION_DENIED, JOB_LIMIT_EXCEEDED, TASK_FORBIDDEN,
                 ACCESS_DENIED, CLIENT_NOT_REGISTERED, ADDRESS_DENIED -> 403;
            case SYSTEM_NOT_FOUND, ROUTE_NOT_FOUND, PATH_NOT_FOUND, JOB_NOT_FOUND, TASK_NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case RATE_LIMITED -> 429;
            case SSH_CONNECT_TIMEOUT, COMMAND_TIMEOUT -> 408;
            case OUTPUT_TOO_LARGE, FILE_TOO_LARGE -> 413;
            case SSH_CONNECTION_FAILED, SSH_AUTHENTICATION_FAILED, SSH_HOST_KEY_REJECTED, SSH_CHANNEL_FAILED, SSH_POOL_FULL -> 424;
            case SERVICE_UNHEALTHY, TASK_STORE_UNAVAILABLE, STAGING_UNAVAILABLE -> 503;
            case SCHEDULER_ERROR, REMOTE_COMMAND_FAILED, INTERNAL -> 500;
        };
    }

    static void handle(GoldcrestException exception, Context ctx) {
        if (exception instanceof ThrottledException throttled) {
            ctx.header("Retry-After", Long.toString(throttled.retryAfterSeconds()));
        }
        if (ctx.attribute(V1) != null) {
            handleV1(exception, ctx);
            return;
        }
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

    // ------------------------------------------------------------------ FirecREST v1

    /** Marks a request as v1's: its errors take v1's shape (status 400 and an {@code X-…} header, mostly). */
    public static void markV1(Context ctx) {
        ctx.attribute(V1, Boolean.TRUE);
    }

    /** The {@code description} of a v1 error body for this request, e.g. {@code Error on ls operation}. */
    public static void describeV1(Context ctx, String description) {
        ctx.attribute(V1_DESCRIPTION, description);
    }

    /** A v1 error header and its value; {@code name} is null when v1 sends none. */
    record V1Header(int status, String name, String value) {}

    /**
     * v1's classification of a failure: the header its clients (pyfirecrest raises on any of them)
     * read, and the status; most are 400, as in FirecREST v1.
     */
    static V1Header v1Header(GoldcrestException exception) {
        String message = exception.getMessage();
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        return switch (exception.code()) {
            case NOT_AUTHENTICATED, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_KEY_UNKNOWN, TOKEN_EXPIRES_TOO_SOON -> new V1Header(401, null, null);
            case SSH_CONNECT_TIMEOUT, SSH_CONNECTION_FAILED, SSH_CHANNEL_FAILED, SSH_POOL_FULL, SSH_HOST_KEY_REJECTED, SERVICE_UNHEALTHY ->
                    new V1Header(400, "X-Machine-Not-Available", "Machine is not available");
            case SSH_AUTHENTICATION_FAILED, NO_SSH_CREDENTIALS, USER_NOT_ALLOWED, CLIENT_NOT_ALLOWED, PATH_PERMISSION_DENIED, JOB_LIMIT_EXCEEDED ->
                    new V1Header(400, "X-Permission-Denied", "User does not have permissions to access machine or path");
            case COMMAND_TIMEOUT -> new V1Header(400, "X-Timeout", TIMEOUT_TEXT);
            case PATH_NOT_FOUND -> new V1Header(400, "X-Invalid-Path", message);
            // Only the tools' own phrases are looked for: the message quotes the path, which may hold any word.
            case PATH_CONFLICT -> lower.contains("file exists") ? new V1Header(400, "X-Exists", message)
                    : lower.contains("not a directory") ? new V1Header(400, "X-Not-A-Directory", message)
                    : lower.contains("invalid user") ? new V1Header(400, "X-Invalid-Owner", message)
                    : lower.contains("invalid group") ? new V1Header(400, "X-Invalid-Group", message)
                    : lower.contains("invalid mode") ? new V1Header(400, "X-Invalid-Mode", message)
                    : lower.contains("is a directory") ? new V1Header(400, "X-A-Directory", message)
                    : new V1Header(400, "X-Error", message);
            case FILE_TOO_LARGE, OUTPUT_TOO_LARGE -> new V1Header(400, "X-Size-Limit", "File exceeds size limit");
            case INVALID_PARAMETER, TRANSFER_METHOD_UNAVAILABLE, METHOD_NOT_ALLOWED, TOKEN_USERNAME_MISSING ->
                    lower.contains("is a directory") ? new V1Header(400, "X-A-Directory", message)
                    : lower.contains("not a directory") ? new V1Header(400, "X-Not-A-Directory", message)
                    : lower.startsWith("invalid mode") ? new V1Header(400, "X-Invalid-Mode", message)
                    : new V1Header(400, null, null);
            case JOB_REJECTED -> new V1Header(400, "X-Sbatch-Error", message);
            case TASK_FORBIDDEN -> new V1Header(403, null, null);
            // Gateway refusals: v1's own gateway answered these before the request reached a service.
            case ACCESS_DENIED, CLIENT_NOT_REGISTERED, ADDRESS_DENIED -> new V1Header(403, null, null);
            case RATE_LIMITED -> new V1Header(429, null, null);
            case TASK_NOT_FOUND, SYSTEM_NOT_FOUND, ROUTE_NOT_FOUND, JOB_NOT_FOUND -> new V1Header(404, null, null);
            case TASK_STORE_UNAVAILABLE, STAGING_UNAVAILABLE -> new V1Header(503, "X-Error", message);
            case REMOTE_COMMAND_FAILED -> lower.contains("is a directory") ? new V1Header(400, "X-A-Directory", message)
                    : lower.contains("not a directory") ? new V1Header(400, "X-Not-A-Directory", message)
                    : new V1Header(400, "X-Error", message);
            case SCHEDULER_ERROR, INTERNAL -> new V1Header(400, "X-Error", message);
        };
    }

    /** pyfirecrest compares this exact text to fall back to a job for compress and extract. */
    public static final String TIMEOUT_TEXT = "Command has finished with timeout signal";

    private static void handleV1(GoldcrestException exception, Context ctx) {
        RequestContext.username(ctx).ifPresent(user -> ctx.header("F7T-AuthUsername", user));
        ctx.attribute(WRITTEN, Boolean.TRUE);
        if (exception instanceof V1Failure failure) {
            failure.headers().forEach((name, value) -> ctx.header(name, headerText(value)));
            ctx.status(failure.status()).json(failure.body());
            return;
        }
        V1Header header = v1Header(exception);
        if (header.status() >= 500) {
            LOG.warn("request {} failed: {} {}", RequestContext.requestId(ctx), exception.code(), exception.getMessage(), exception);
        }
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (header.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
            body.put("description", exception.code() == ErrorCode.NOT_AUTHENTICATED ? "No Auth Header given" : exception.getMessage());
        } else {
            String description = ctx.attribute(V1_DESCRIPTION);
            body.put("description", description == null ? exception.getMessage() : description);
            body.put("error", exception.code() == ErrorCode.COMMAND_TIMEOUT ? TIMEOUT_TEXT : exception.getMessage());
        }
        if (header.name() != null) {
            ctx.header(header.name(), headerText(header.value()));
        }
        ctx.status(header.status()).json(body);
    }

    /** Header values are one line of printable ASCII: remote error text is cut down to that. */
    private static String headerText(String value) {
        String line = value.replaceAll("[^\\x20-\\x7E]+", " ").strip();
        return line.length() > MAX_HEADER_TEXT ? line.substring(0, MAX_HEADER_TEXT) : line;
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
