package io.goldcrest.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one stored form of a {@link Task}, shared by both stores so a task reads the same whichever
 * wrote it. Instants are ISO-8601 strings (full precision); an empty Optional is an absent field.
 * {@code result} keeps plain JSON values: after a round trip, whole numbers are {@code Long} and
 * others {@code Double}, objects are {@code Map<String, Object>} and arrays {@code List<Object>}.
 * Thread-safe.
 */
final class TaskCodec {
    /** Written into every record; a store refuses records of another version rather than misread them. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final TypeReference<Map<String, Object>> RESULT = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> CONTEXT = new TypeReference<>() {};

    private TaskCodec() {}

    /**
     * @throws IllegalArgumentException when {@code result} holds something that is not a plain JSON
     *     value (a caller bug, found before anything is stored)
     */
    static String encode(Task task) {
        task.result().forEach((key, value) -> requirePlain("result." + key, value));
        ObjectNode node = JSON.createObjectNode();
        node.put("version", VERSION);
        node.put("id", task.id());
        node.put("owner", task.owner());
        node.put("system", task.system());
        node.put("service", task.service());
        node.put("operation", task.operation());
        node.put("state", task.state().word());
        task.progress().ifPresent(progress -> {
            ObjectNode progressNode = node.putObject("progress");
            progressNode.put("done", progress.done());
            progress.total().ifPresent(total -> progressNode.put("total", total));
            progressNode.put("unit", progress.unit());
        });
        node.set("result", JSON.valueToTree(task.result()));
        task.error().ifPresent(error -> node.put("error", error));
        task.jobId().ifPresent(jobId -> node.put("jobId", jobId));
        node.put("createdAt", task.createdAt().toString());
        node.put("updatedAt", task.updatedAt().toString());
        node.put("expiresAt", task.expiresAt().toString());
        node.set("context", JSON.valueToTree(task.context()));
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write task " + task.id() + " as JSON", e);
        }
    }

    /** @throws GoldcrestException {@code INTERNAL} when {@code json} is not a task record of this version */
    static Task decode(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            int version = node.path("version").asInt(-1);
            if (version != VERSION) {
                throw new IllegalArgumentException("record version " + version + ", expected " + VERSION);
            }
            Optional<Progress> progress = Optional.empty();
            JsonNode progressNode = node.path("progress");
            if (progressNode.isObject()) {
                Optional<Long> total = progressNode.hasNonNull("total")
                        ? Optional.of(progressNode.get("total").asLong())
                        : Optional.empty();
                progress = Optional.of(new Progress(required(progressNode, "done").asLong(), total, text(progressNode, "unit")));
            }
            return new Task(text(node, "id"), text(node, "owner"), text(node, "system"), text(node, "service"),
                    text(node, "operation"), TaskState.fromWord(text(node, "state")), progress,
                    JSON.convertValue(required(node, "result"), RESULT), optionalText(node, "error"),
                    optionalText(node, "jobId"), Instant.parse(text(node, "createdAt")),
                    Instant.parse(text(node, "updatedAt")), Instant.parse(text(node, "expiresAt")),
                    JSON.convertValue(required(node, "context"), CONTEXT));
        } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
            // The record's id is not quoted: a corrupt record may not have one.
            throw new GoldcrestException(ErrorCode.INTERNAL, "a stored task record cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("field " + field + " is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        return required(node, field).asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static void requirePlain(String path, Object value) {
        switch (value) {
            case null -> {}
            case String ignored -> {}
            case Number ignored -> {}
            case Boolean ignored -> {}
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    requirePlain(path + "[" + i + "]", list.get(i));
                }
            }
            case Map<?, ?> map -> map.forEach((key, item) -> {
                if (!(key instanceof String)) {
                    throw new IllegalArgumentException(path + ": map keys must be strings, not " + key);
                }
                requirePlain(path + "." + key, item);
            });
            default -> throw new IllegalArgumentException(path + ": not a plain JSON value: " + value.getClass().getName());
        }
    }
}
