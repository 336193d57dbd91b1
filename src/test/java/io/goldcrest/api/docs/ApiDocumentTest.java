package io.goldcrest.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goldcrest.config.BuildInfo;
import io.goldcrest.config.ConfigLoader;
import io.goldcrest.config.GoldcrestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The API document is structurally valid OpenAPI 3.1 (no validator is available offline, so the
 * rules a validator would catch first are checked here), and the parts filled in at serving time
 * follow the configuration. That it agrees with the routes served is {@code OpenApiIT}'s.
 */
class ApiDocumentTest {
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final BuildInfo BUILD = BuildInfo.current();

    @Test
    void isOpenApi31WithTheBuildVersion() {
        ObjectNode document = ApiDocument.build(config(""), BUILD);

        assertThat(document.get("openapi").asText()).startsWith("3.1.");
        assertThat(document.at("/info/title").asText()).isNotBlank();
        assertThat(document.at("/info/version").asText()).isEqualTo(BUILD.version()).doesNotContain("${");
        assertThat(document.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void everyReferenceResolves() {
        ObjectNode document = ApiDocument.build(config(""), BUILD);
        List<String> unresolved = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);

        for (String ref : refs) {
            if (!ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode()) {
                unresolved.add(ref);
            }
        }
        assertThat(refs).hasSizeGreaterThan(100);
        assertThat(unresolved).as("references that point nowhere").isEmpty();
    }

    @Test
    void everyTemplateParameterIsDeclaredAndEveryDeclaredOneIsInTheTemplate() {
        ObjectNode document = ApiDocument.build(config(""), BUILD);
        List<String> problems = new ArrayList<>();

        forEachOperation(document, (path, method, operation) -> {
            Set<String> inTemplate = new LinkedHashSet<>();
            Matcher matcher = TEMPLATE_PARAMETER.matcher(path);
            while (matcher.find()) {
                inTemplate.add(matcher.group(1));
            }
            Set<String> declared = new LinkedHashSet<>();
            Set<String> names = new HashSet<>();
            for (JsonNode parameter : operation.path("parameters")) {
                JsonNode resolved = resolve(document, parameter);
                String key = resolved.path("in").asText() + ":" + resolved.path("name").asText();
                if (!names.add(key)) {
                    problems.add(method + " " + path + ": parameter " + key + " declared twice");
                }
                if (resolved.path("in").asText().equals("path")) {
                    declared.add(resolved.path("name").asText());
                    if (!resolved.path("required").asBoolean()) {
                        problems.add(method + " " + path + ": path parameter " + resolved.path("name").asText() + " is not required");
                    }
                }
                if (!resolved.has("schema") && !resolved.has("content")) {
                    problems.add(method + " " + path + ": parameter " + key + " has no schema");
                }
            }
            if (!declared.equals(inTemplate)) {
                problems.add(method + " " + path + ": template has " + inTemplate + ", declared " + declared);
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationHasAUniqueIdADeclaredTagAndASuccessAnswer() {
        ObjectNode document = ApiDocument.build(config(""), BUILD);
        Set<String> tags = new HashSet<>();
        document.get("tags").forEach(tag -> tags.add(tag.get("name").asText()));
        Map<String, String> ids = new HashMap<>();
        List<String> problems = new ArrayList<>();

        forEachOperation(document, (path, method, operation) -> {
            String where = method + " " + path;
            String id = operation.path("operationId").asText();
            String previous = id.isEmpty() ? null : ids.put(id, where);
            if (id.isEmpty()) {
                problems.add(where + ": no operationId");
            } else if (previous != null) {
                problems.add(where + ": operationId " + id + " also used by " + previous);
            }
            if (operation.path("summary").asText().isBlank()) {
                problems.add(where + ": no summary");
            }
            if (!operation.path("tags").isArray() || operation.path("tags").isEmpty()) {
                problems.add(where + ": no tag");
            }
            operation.path("tags").forEach(tag -> {
                if (!tags.contains(tag.asText())) {
                    problems.add(where + ": undeclared tag " + tag.asText());
                }
            });
            List<String> statuses = new ArrayList<>();
            operation.path("responses").fieldNames().forEachRemaining(statuses::add);
            if (statuses.stream().noneMatch(status -> status.startsWith("2"))) {
                problems.add(where + ": no success answer");
            }
            if (statuses.stream().anyMatch(status -> !status.matches("[1-5][0-9][0-9]|default"))) {
                problems.add(where + ": response keys " + statuses);
            }
        });
        assertThat(ids).hasSizeGreaterThan(90);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationListsTheGatewaysAnswers() {
        ObjectNode document = ApiDocument.build(config(""), BUILD);
        List<String> problems = new ArrayList<>();

        forEachOperation(document, (path, method, operation) -> {
            JsonNode responses = operation.get("responses");
            List<String> expected = new ArrayList<>(List.of("403", "429", "500"));
            if (!ApiDocument.isPublic(operation)) {
                expected.addAll(List.of("400", "401"));
            }
            if (path.contains("{system_name}")) {
                expected.addAll(List.of("404", "408", "413", "424", "503"));
            }
            for (String status : expected) {
                if (!responses.has(status)) {
                    problems.add(method + " " + path + ": no " + status);
                }
            }
            JsonNode tooMany = resolve(document, responses.path("429"));
            if (!tooMany.at("/headers/Retry-After").isObject() || !tooMany.at("/headers/RateLimit-Reset").isObject()) {
                problems.add(method + " " + path + ": 429 without Retry-After and RateLimit-Reset");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void errorBodiesAreTheOnesTheServerWrites() {
        ObjectNode document = ApiDocument.build(config(""), BUILD);

        // v2: io.goldcrest.api.ErrorBody's fields; v1: {"description", "error"}.
        assertThat(fieldNames(document.at("/components/schemas/ErrorBody/properties")))
                .containsExactlyInAnyOrder("errorType", "message", "causedBy", "data", "user");
        assertThat(fieldNames(document.at("/components/schemas/V1ErrorBody/properties"))).contains("description", "error");
        assertThat(document.at("/paths/~1status~1{system_name}~1nodes/get/responses/401/$ref").asText())
                .isEqualTo("#/components/responses/Unauthorized");
        assertThat(document.at("/paths/~1v1~1utilities~1ls/get/responses/400/$ref").asText())
                .isEqualTo("#/components/responses/V1BadRequest");
        assertThat(fieldNames(document.at("/components/responses/V1BadRequest/headers")))
                .contains("X-Error", "X-Invalid-Path", "X-Permission-Denied", "X-Machine-Does-Not-Exist", "X-Timeout");
    }

    @Test
    void requiredPropertiesAreDefined() {
        ObjectNode document = ApiDocument.build(config(""), BUILD);
        List<String> problems = new ArrayList<>();
        checkRequired(document.get("components"), "#/components", problems);
        checkRequired(document.get("paths"), "#/paths", problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void v1PathsFollowTheConfiguredPrefixAndStayOffTheRootPath() {
        ObjectNode document = ApiDocument.build(config("/api/v2", "  v1: {prefix: \"/firecrest/v1\"}\n"), BUILD);
        List<String> paths = fieldNames(document.get("paths"));

        assertThat(paths).contains("/firecrest/v1/utilities/ls", "/firecrest/v1/tasks/{taskid}", "/status/systems", "/discovery")
                .noneMatch(path -> path.startsWith("/v1/"));
        assertThat(document.at("/servers/0/url").asText()).isEqualTo("/");
        assertThat(document.at("/servers/1/url").asText()).isEqualTo("/api/v2");
        JsonNode v1Item = document.get("paths").get("/firecrest/v1/utilities/ls");
        assertThat(v1Item.at("/servers/0/url").asText()).isEqualTo("/");
        assertThat(v1Item.get("servers")).hasSize(1);
    }

    @Test
    void v1OffLeavesOutItsPathsAndTags() {
        ObjectNode document = ApiDocument.build(config("", "  v1: {enabled: false}\n"), BUILD);

        assertThat(fieldNames(document.get("paths"))).contains("/status/systems").noneMatch(path -> path.startsWith("/v1"));
        document.get("tags").forEach(tag -> assertThat(tag.get("name").asText()).doesNotStartWith("v1"));
        assertThat(document.get("servers")).hasSize(1);
    }

    @Test
    void docsAssetsAreTheDocumentedOnes() {
        GoldcrestConfig config = config("");
        ObjectNode document = ApiDocument.build(config, BUILD);
        List<String> documented = new ArrayList<>();
        document.at("/paths/~1docs~1{asset}/get/parameters/0/schema/enum").forEach(name -> documented.add(name.asText()));

        assertThat(new DocsRoutes(config, BUILD).assetNames()).containsExactlyInAnyOrderElementsOf(documented);
    }

    // ------------------------------------------------------------------ helpers

    /** The dev template with stand-ins for what ./goldcrest dev fills in (parsing checks no file). */
    static GoldcrestConfig config(String apisRootPath) {
        return config(apisRootPath, "");
    }

    /** @param goldcrestLines lines added under the top-level {@code goldcrest} key, indented by two */
    static GoldcrestConfig config(String apisRootPath, String goldcrestLines) {
        try {
            String yaml = Files.readString(Path.of("config/dev.yaml.in"))
                    .replace("@ISSUER@", "http://127.0.0.1:8190/goldcrest")
                    .replace("@CLUSTER_DIR@", "/srv/cluster")
                    .replace("@STATE@", "/srv/state")
                    .replace("@HOST_KEY@", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")
                    .replace("apis_root_path: \"\"", "apis_root_path: \"" + apisRootPath + "\"")
                    .replace("\ngoldcrest:\n", "\ngoldcrest:\n" + goldcrestLines);
            return ConfigLoader.parse(yaml, Path.of("."));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface OperationVisitor {
        void visit(String path, String method, JsonNode operation);
    }

    static void forEachOperation(JsonNode document, OperationVisitor visitor) {
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            if (ApiDocument.METHODS.contains(entry.getKey())) {
                visitor.visit(path.getKey(), entry.getKey().toUpperCase(Locale.ROOT), entry.getValue());
            }
        }));
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        while (node.has("$ref")) {
            node = document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (entry.getKey().equals("$ref")) {
                    refs.add(entry.getValue().asText());
                } else {
                    collectRefs(entry.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(item -> collectRefs(item, refs));
        }
    }

    /** A schema's {@code required} names must be among its own {@code properties}, when it lists any. */
    private static void checkRequired(JsonNode node, String where, List<String> problems) {
        if (node.isObject()) {
            JsonNode required = node.get("required");
            JsonNode properties = node.get("properties");
            if (required != null && required.isArray() && properties != null && properties.isObject()) {
                required.forEach(name -> {
                    if (!properties.has(name.asText())) {
                        problems.add(where + ": required '" + name.asText() + "' is not a property");
                    }
                });
            }
            node.properties().forEach(entry -> checkRequired(entry.getValue(), where + "/" + entry.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkRequired(node.get(i), where + "/" + i, problems);
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
