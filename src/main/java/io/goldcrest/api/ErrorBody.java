package io.goldcrest.api;

import java.util.List;

/** FirecREST v2's error body: {@code errorType} is {@code error} or {@code validation}. */
public record ErrorBody(String errorType, String message, List<String> causedBy, ValidationData data, String user) {
    public record ValidationData(List<FieldError> fields) {}

    /** @param location {@code query}, {@code path} or {@code body} */
    public record FieldError(String location, String name, String message) {}
}
