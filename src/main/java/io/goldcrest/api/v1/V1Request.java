package io.goldcrest.api.v1;

import io.goldcrest.api.ErrorMapper;
import io.goldcrest.api.RequestContext;
import io.goldcrest.api.V1Failure;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What every v1 route reads from a request, the way FirecREST v1 reads it: the system from
 * {@code X-Machine-Name}, GET parameters from the query and the others from the form body, booleans
 * as {@code true}/{@code yes}/{@code 1}.
 *
 * <p>Unlike FirecREST v1, values with quotes, {@code ;}, {@code &}, parentheses and the like are
 * accepted: Goldcrest quotes every value it puts on a command line. Only control characters are refused.
 */
final class V1Request {
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F]");

    private V1Request() {}

    /** Names the operation in error bodies: {@code {"description": "<text>", "error": ...}}. */
    static void describe(Context ctx, String description) {
        ErrorMapper.describeV1(ctx, description);
    }

    static String user(Context ctx) {
        return RequestContext.requirePrincipal(ctx).username();
    }

    /**
     * The system named by {@code X-Machine-Name}.
     *
     * @param plural also send FirecREST's misspelt {@code X-Machine-Does-Not-Exists}, as its compute
     *     and storage services do (both spellings are sent, so clients of either kind see theirs)
     */
    static ClusterConfig system(Context ctx, GoldcrestConfig config, boolean plural) {
        String name = ctx.header("X-Machine-Name");
        if (name == null || name.isBlank()) {
            throw new V1Failure(ErrorCode.INVALID_PARAMETER, 400, Map.of(), Map.of("description", "No machine name given"));
        }
        return config.cluster(name.strip()).orElseThrow(() -> {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-Machine-Does-Not-Exist", "Machine does not exist");
            if (plural) {
                headers.put("X-Machine-Does-Not-Exists", "Machine does not exists");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("description", "Machine '" + printable(name) + "' does not exist");
            body.put("error", "Machine does not exist");
            return new V1Failure(ErrorCode.SYSTEM_NOT_FOUND, 400, headers, body);
        });
    }

    /** A parameter: from the query for GET, from the form body (or else the query) for the other methods. */
    static Optional<String> param(Context ctx, String name) {
        String value = null;
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
            value = formParam(ctx, name);
        }
        if (value == null) {
            value = ctx.queryParam(name);
        }
        return Optional.ofNullable(value);
    }

    private static String formParam(Context ctx, String name) {
        String type = ctx.contentType();
        if (type == null) {
            return null;
        }
        String lower = type.toLowerCase(Locale.ROOT);
        if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/form-data")) {
            return ctx.formParam(name);
        }
        return null;
    }

    /** A required text parameter: v1's {@code '<name>' not specified}, {@code is empty}, {@code has invalid char}. */
    static String required(Context ctx, String name) {
        String value = param(ctx, name).orElseThrow(() -> invalid("'" + name + "' not specified"));
        if (value.isEmpty()) {
            throw invalid("'" + name + "' is empty");
        }
        return checked(name, value);
    }

    /** An optional text parameter; empty counts as not given. */
    static Optional<String> optional(Context ctx, String name) {
        return param(ctx, name).filter(value -> !value.isEmpty()).map(value -> checked(name, value));
    }

    /** v1's booleans: {@code true}, {@code yes} and {@code 1} (any case) are true, anything else false. */
    static boolean flag(Context ctx, String name) {
        return param(ctx, name).map(V1Request::isTrue).orElse(false);
    }

    static boolean isTrue(String value) {
        String lower = value.strip().toLowerCase(Locale.ROOT);
        return lower.equals("true") || lower.equals("yes") || lower.equals("1");
    }

    private static String checked(String name, String value) {
        if (CONTROL.matcher(value).find()) {
            throw invalid("'" + name + "' has invalid char");
        }
        return value;
    }

    /** v1's answer to an upload over the system's limit: 413 and no error header. */
    static V1Failure uploadTooLarge(long limit) {
        return new V1Failure(ErrorCode.FILE_TOO_LARGE, 413, Map.of(),
                Map.of("description", "Failed to upload file. The file is over " + limit + " bytes"));
    }

    static GoldcrestException invalid(String message) {
        return new GoldcrestException(ErrorCode.INVALID_PARAMETER, message);
    }

    private static String printable(String text) {
        String cleaned = text.replaceAll("[^\\x20-\\x7E]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }
}
