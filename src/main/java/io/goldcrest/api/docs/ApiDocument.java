package io.goldcrest.api.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.goldcrest.api.Json;
import io.goldcrest.config.BuildInfo;
import io.goldcrest.config.GoldcrestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI 3.1 document of what this configuration serves: the hand-written
 * {@code openapi/goldcrest.yaml}, with the parts that depend on the configuration or repeat on
 * every operation filled in here (see the file's header).
 */
public final class ApiDocument {
    static final String RESOURCE = "/openapi/goldcrest.yaml";
    /** Where the resource writes the v1 paths; they move to {@code goldcrest.v1.prefix} when served. */
    static final String V1_PATHS = "/v1";
    private static final String METRICS_PATH = "/metrics";
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String RESPONSES = "#/components/responses/";

    private ApiDocument() {}

    /** The document as served at {@code /openapi.json}. */
    public static byte[] json(GoldcrestConfig config, BuildInfo build) {
        try {
            return Json.MAPPER.writeValueAsBytes(build(config, build));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the API document", e);
        }
    }

    public static ObjectNode build(GoldcrestConfig config, BuildInfo build) {
        ObjectNode document = load();
        ((ObjectNode) document.get("info")).put("version", build.version());
        document.set("servers", servers(config.apisRootPath()));
        ObjectNode paths = JsonNodeFactory.instance.objectNode();
        document.get("paths").properties().forEach(entry -> {
            String path = entry.getKey();
            ObjectNode item = (ObjectNode) entry.getValue();
            boolean v1 = isV1(path);
            if (v1 && !config.v1().enabled()) {
                return;
            }
            // /metrics is on the API's port only in token mode (else on a listener of its own, or nowhere).
            if (path.equals(METRICS_PATH) && !(config.metrics().enabled() && config.metrics().token().isPresent())) {
                return;
            }
            if (v1) {
                path = config.v1().prefix() + path.substring(V1_PATHS.length());
                // v1 is never under apis_root_path: only the root server holds it.
                item.set("servers", servers(""));
            }
            operations(item).forEach(operation -> addCommonResponses(operation, v1, entry.getKey().contains("{system_name}")));
            paths.set(path, item);
        });
        document.set("paths", paths);
        if (!config.v1().enabled()) {
            ArrayNode tags = (ArrayNode) document.get("tags");
            for (int i = tags.size() - 1; i >= 0; i--) {
                if (tags.get(i).get("name").asText().startsWith("v1 ")) {
                    tags.remove(i);
                }
            }
        }
        return document;
    }

    static boolean isV1(String resourcePath) {
        return resourcePath.equals(V1_PATHS) || resourcePath.startsWith(V1_PATHS + "/");
    }

    /** The operations of a path item, in the order written. */
    static List<ObjectNode> operations(JsonNode item) {
        List<ObjectNode> operations = new ArrayList<>();
        item.properties().forEach(entry -> {
            if (METHODS.contains(entry.getKey())) {
                operations.add((ObjectNode) entry.getValue());
            }
        });
        return operations;
    }

    /** Whether an operation needs no token: it says {@code security: []}. */
    static boolean isPublic(JsonNode operation) {
        JsonNode security = operation.get("security");
        return security != null && security.isArray() && security.isEmpty();
    }

    private static ObjectNode load() {
        try (InputStream input = ApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (input == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return (ObjectNode) new YAMLMapper().readTree(input);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** v2 routes are served at the root and, when set, under apis_root_path as well. */
    private static ArrayNode servers(String apisRootPath) {
        ArrayNode servers = JsonNodeFactory.instance.arrayNode();
        servers.addObject().put("url", "/").put("description", "This server");
        if (!apisRootPath.isEmpty()) {
            servers.addObject().put("url", apisRootPath).put("description", "This server, under apis_root_path");
        }
        return servers;
    }

    /**
     * The answers every operation of its kind can give, from the layers in front of every handler:
     * address filters and policy (403), rate limits (429), authentication (401, and 400 for a token
     * without the username claim), unexpected failures (500); and for v2 routes on a system, the
     * unknown system (404), SSH and command limits (408, 413, 424) and health gating (503). v1 reports
     * those system failures as 400 with an error header. What the resource writes is kept.
     */
    private static void addCommonResponses(ObjectNode operation, boolean v1, boolean onSystem) {
        ObjectNode responses = (ObjectNode) operation.get("responses");
        Map<String, String> common = new LinkedHashMap<>();
        if (!isPublic(operation)) {
            common.put("400", v1 ? "V1BadRequest" : "BadRequest");
            common.put("401", v1 ? "V1Unauthorized" : "Unauthorized");
        }
        common.put("403", v1 ? "V1Forbidden" : "Forbidden");
        common.put("429", v1 ? "V1TooManyRequests" : "TooManyRequests");
        // v1 answers unexpected failures in v2's shape as well (ErrorMapper.handleUnexpected).
        common.put("500", "InternalError");
        if (onSystem && !v1) {
            common.put("404", "NotFound");
            common.put("408", "RequestTimeout");
            common.put("413", "PayloadTooLarge");
            common.put("424", "FailedDependency");
            common.put("503", "ServiceUnavailable");
        }
        common.forEach((status, name) -> {
            if (!responses.has(status)) {
                responses.putObject(status).put("$ref", RESPONSES + name);
            }
        });
        List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(responses.properties());
        sorted.sort(Comparator.comparing(Map.Entry::getKey));
        responses.removeAll();
        sorted.forEach(entry -> responses.set(entry.getKey(), entry.getValue()));
    }
}
