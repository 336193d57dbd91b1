package io.goldcrest.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request's JSON object, read the FirecREST way: each field under any of its accepted names
 * (camelCase, snake_case, aliases), unknown fields ignored, wrong types a 400 naming the field.
 */
public final class JsonBody {
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    /** A missing Content-Type is read as JSON too; any other type is refused, as FirecREST does. */
    public static JsonBody of(Context ctx) {
        String type = ctx.contentType();
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ValidationException("body", "body", "expected a JSON body (Content-Type: application/json), got " + type);
        }
        try {
            byte[] bytes = ctx.bodyAsBytes();
            JsonNode root = bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new ValidationException("body", "body", "expected a JSON object");
            }
            return new JsonBody(root);
        } catch (IOException e) {
            throw new ValidationException("body", "body", "JSON decode error: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
        }
    }

    private Optional<NamedNode> find(String... names) {
        for (String name : names) {
            if (root.has(name)) {
                return Optional.of(new NamedNode(name, root.get(name)));
            }
        }
        return Optional.empty();
    }

    private record NamedNode(String name, JsonNode node) {}

    public boolean has(String... names) {
        return find(names).isPresent();
    }

    /** A string field; absent or null is empty. */
    public Optional<String> string(String... names) {
        Optional<NamedNode> field = find(names);
        if (field.isEmpty() || field.get().node().isNull()) {
            return Optional.empty();
        }
        if (!field.get().node().isTextual()) {
            throw new ValidationException("body", field.get().name(), "input should be a valid string");
        }
        return Optional.of(field.get().node().textValue());
    }

    /** A whole-number field; absent or null is empty. */
    public OptionalLong integer(String... names) {
        Optional<NamedNode> field = find(names);
        if (field.isEmpty() || field.get().node().isNull()) {
            return OptionalLong.empty();
        }
        if (!field.get().node().canConvertToExactIntegral() || !field.get().node().canConvertToLong()) {
            throw new ValidationException("body", field.get().name(), "input should be a valid integer");
        }
        return OptionalLong.of(field.get().node().longValue());
    }

    /** A nested object field; absent or null is empty. */
    public Optional<JsonBody> object(String... names) {
        Optional<NamedNode> field = find(names);
        if (field.isEmpty() || field.get().node().isNull()) {
            return Optional.empty();
        }
        if (!field.get().node().isObject()) {
            throw new ValidationException("body", field.get().name(), "input should be a valid dictionary or object");
        }
        return Optional.of(new JsonBody(field.get().node()));
    }

    /**
     * A map of text values, sent as an object or as a list of {@code "K=V"} strings; absent or null
     * is empty. Numbers and booleans are read as their text.
     */
    public Optional<Map<String, String>> stringMap(String... names) {
        Optional<NamedNode> field = find(names);
        if (field.isEmpty() || field.get().node().isNull()) {
            return Optional.empty();
        }
        String name = field.get().name();
        JsonNode node = field.get().node();
        Map<String, String> map = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                    throw new ValidationException("body", name, "the value of '" + entry.getKey() + "' should be a valid string");
                }
                map.put(entry.getKey(), entry.getValue().asText());
            }
            return Optional.of(map);
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                int equals = item.isTextual() ? item.textValue().indexOf('=') : -1;
                if (equals <= 0) {
                    throw new ValidationException("body", name, "list items should be strings of the form NAME=value");
                }
                map.put(item.textValue().substring(0, equals), item.textValue().substring(equals + 1));
            }
            return Optional.of(map);
        }
        throw new ValidationException("body", name, "input should be a valid dictionary or a list of NAME=value strings");
    }

    /** A required string field. */
    public String requiredString(String... names) {
        return string(names).orElseThrow(() -> new ValidationException("body", names[0], "field required"));
    }

    /** A boolean field, JSON true/false or FirecREST's boolean words. */
    public boolean bool(boolean defaultValue, String... names) {
        Optional<NamedNode> field = find(names);
        if (field.isEmpty() || field.get().node().isNull()) {
            return defaultValue;
        }
        JsonNode node = field.get().node();
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isInt() && (node.intValue() == 0 || node.intValue() == 1)) {
            return node.intValue() == 1;
        }
        if (node.isTextual()) {
            Optional<Boolean> word = ApiApp.booleanWord(node.textValue());
            if (word.isPresent()) {
                return word.get();
            }
        }
        throw new ValidationException("body", field.get().name(), "input should be a valid boolean");
    }
}
