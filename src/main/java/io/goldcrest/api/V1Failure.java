package io.goldcrest.api;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A FirecREST v1 error answer spelled out in full: status, error headers and body, for the cases
 * where v1 clients branch on exactly what is sent (the machine headers, task lookups, size limits).
 * Everything else a v1 route throws is mapped from its {@link ErrorCode} by {@link ErrorMapper}.
 */
public final class V1Failure extends GoldcrestException {
    private final int status;
    private final Map<String, String> headers;
    private final Map<String, Object> body;

    public V1Failure(ErrorCode code, int status, Map<String, String> headers, Map<String, Object> body) {
        super(code, String.valueOf(body.getOrDefault("error", body.getOrDefault("description", "FirecREST v1 error"))));
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = new LinkedHashMap<>(Objects.requireNonNull(body, "body"));
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Map<String, Object> body() {
        return body;
    }
}
