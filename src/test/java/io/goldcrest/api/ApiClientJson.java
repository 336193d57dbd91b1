package io.goldcrest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Expected JSON bodies written as maps. */
final class ApiClientJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiClientJson() {}

    static JsonNode of(Object value) {
        return JSON.valueToTree(value);
    }
}
