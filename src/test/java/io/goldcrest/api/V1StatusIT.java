package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FirecREST v1's {@code /status} end to end, read from the health monitor's real probes of the local
 * cluster. Two servers: one with three systems on the same login node ({@code cluster} as in the dev
 * configuration; {@code brokenfs}, which also has a file system that does not exist and smaller
 * limits; {@code down}, whose SSH port has nothing listening) and a reservations tool configured, and
 * one with only the unreachable system, where the services that need it are down everywhere.
 */
class V1StatusIT {
    private static final String MISSING_FS = "/nonexistent-v1-status-it";

    private static Goldcrest goldcrest;
    private static Goldcrest downOnly;
    private static ApiClient client;
    private static ApiClient downClient;
    private static String alice;

    @BeforeAll
    static void start() {
        String yaml = LocalServices.devConfigYaml();
        int blockStart = yaml.indexOf("- name: \"cluster\"");
        String head = replace(yaml.substring(0, blockStart), "goldcrest:\n  server:", "goldcrest:\n  v1: {reservations_command: \"rsvmgmt\"}\n  server:");
        String cluster = yaml.substring(blockStart);
        String brokenFs = replace(cluster, "- name: \"cluster\"", "- name: \"brokenfs\"");
        brokenFs = replace(brokenFs, "  - {path: \"/tmp\", data_type: \"scratch\"}\n",
                "  - {path: \"/tmp\", data_type: \"scratch\"}\n  - {path: \"" + MISSING_FS + "\", data_type: \"project\"}\n");
        brokenFs = replace(brokenFs, "max_ops_file_size: 5242880", "max_ops_file_size: 65536");
        brokenFs = replace(brokenFs, "command_execution: 5", "command_execution: 2");
        // Port 1: nothing listens there, so every probe of this system fails at once (connection refused).
        String down = replace(replace(cluster, "- name: \"cluster\"", "- name: \"down\""), "port: 2222", "port: 1");

        goldcrest = Goldcrest.start(LocalServices.config(head + cluster.stripTrailing() + "\n" + brokenFs.stripTrailing() + "\n" + down),
                Clock.systemUTC());
        downOnly = Goldcrest.start(LocalServices.config(yaml.substring(0, blockStart) + down), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        downClient = new ApiClient(downOnly.port());
        alice = LocalServices.mockToken("alice");
        awaitHealthRuns(client, 3);
        awaitHealthRuns(downClient, 1);
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
        if (downOnly != null) {
            downOnly.close();
        }
    }

    private static String replace(String text, String from, String to) {
        assertThat(text).as("the dev configuration").contains(from);
        return text.replace(from, to);
    }

    /** Polls v2's view of the health monitor until every system has finished its first probe run. */
    private static void awaitHealthRuns(ApiClient api, int systems) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode listed = null;
        while (Instant.now().isBefore(deadline)) {
            listed = api.get("/status/systems", alice).json().get("systems");
            boolean done = listed.size() == systems;
            for (JsonNode system : listed) {
                done &= !system.get("servicesHealth").isNull();
            }
            if (done) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("no complete health run within 30 s: " + listed);
    }

    // ================================================================ parameters

    @Test
    void parametersReportAVersionPyfirecrestEnablesEverythingForAndTheLimits() {
        JsonNode response = ok(client.get("/v1/status/parameters", alice));
        assertThat(response.get("description").asText()).isEqualTo("Firecrest's parameters");
        JsonNode out = response.get("out");
        assertThat(fieldNames(out)).containsExactly("general", "compute", "utilities", "storage");
        out.forEach(group -> group.forEach(parameter ->
                assertThat(fieldNames(parameter)).containsExactly("name", "value", "unit", "description")));

        Map<String, JsonNode> parameters = parameters(out);
        String version = parameters.get("FIRECREST_VERSION").get("value").asText();
        assertThat(compareVersions(version, "1.16.0")).as("FIRECREST_VERSION %s", version).isGreaterThanOrEqualTo(0);
        assertThat(parameters.get("FIRECREST_BUILD").get("value").asText()).isNotEmpty();
        assertThat(parameters.get("WORKLOAD_MANAGER").get("value").asText()).isEqualTo("Slurm");
        // One value for all systems: the smallest limit, which holds on each (brokenfs: 64 KiB, 2 s).
        assertParameter(parameters, "UTILITIES_MAX_FILE_SIZE", "0.0625", "MB");
        assertParameter(parameters, "UTILITIES_TIMEOUT", "2", "seconds");
        assertParameter(parameters, "OBJECT_STORAGE", "s3v4", "");
        assertParameter(parameters, "STORAGE_TEMPURL_EXP_TIME", "3600", "seconds");
        assertParameter(parameters, "STORAGE_MAX_FILE_SIZE", "5120", "MB");
        assertThat(parameters.get("FILESYSTEMS").get("value").toString()).isEqualTo("[{\"system\":\"cluster\",\"mounted\":[\"/home\",\"/tmp\"]},"
                + "{\"system\":\"brokenfs\",\"mounted\":[\"/home\",\"/tmp\",\"" + MISSING_FS + "\"]},"
                + "{\"system\":\"down\",\"mounted\":[\"/home\",\"/tmp\"]}]");

        // The dev configuration's own limits: 5 MiB and 5 s.
        Map<String, JsonNode> dev = parameters(ok(downClient.get("/v1/status/parameters", alice)).get("out"));
        assertParameter(dev, "UTILITIES_MAX_FILE_SIZE", "5", "MB");
        assertParameter(dev, "UTILITIES_TIMEOUT", "5", "seconds");
        assertThat(compareVersions(dev.get("FIRECREST_VERSION").get("value").asText(), "1.16.0")).isGreaterThanOrEqualTo(0);
    }

    private static Map<String, JsonNode> parameters(JsonNode out) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        out.forEach(group -> group.forEach(parameter -> byName.put(parameter.get("name").asText(), parameter)));
        return byName;
    }

    private static void assertParameter(Map<String, JsonNode> parameters, String name, String value, String unit) {
        assertThat(parameters.get(name)).as(name).isNotNull();
        assertThat(parameters.get(name).get("value").isTextual()).as(name).isTrue();
        assertThat(parameters.get(name).get("value").asText()).as(name).isEqualTo(value);
        assertThat(parameters.get(name).get("unit").asText()).as(name).isEqualTo(unit);
    }

    /** Numeric comparison of dotted versions, as pyfirecrest's packaging.version does for these. */
    private static int compareVersions(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int x = i < left.length ? Integer.parseInt(left[i]) : 0;
            int y = i < right.length ? Integer.parseInt(right[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    // ================================================================ services

    @Test
    void servicesAreUpWhileOneSystemServesThem() {
        JsonNode response = ok(client.get("/v1/status/services", alice));
        assertThat(response.get("description").asText()).isEqualTo("List of services with status and description.");
        List<String> names = new ArrayList<>();
        for (JsonNode service : response.get("out")) {
            assertThat(fieldNames(service)).containsExactly("service", "status", "status_code", "description");
            assertThat(service.get("status").asText()).as(service.toString()).isEqualTo("available");
            assertThat(service.get("status_code").asInt()).isEqualTo(200);
            assertThat(service.get("description").asText()).isEqualTo("server up & flask running");
            names.add(service.get("service").asText());
        }
        assertThat(names).containsExactly("status", "compute", "utilities", "storage", "tasks", "reservations");

        JsonNode compute = ok(client.get("/v1/status/services/compute", alice));
        assertThat(compute.toString()).isEqualTo(
                "{\"service\":\"compute\",\"status\":\"available\",\"status_code\":200,\"description\":\"server up & flask running\"}");

        ApiClient.Response unknown = client.get("/v1/status/services/nosuchservice", alice);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("description").asText()).isEqualTo("Service does not exists");
        assertThat(unknown.json().get("status_code").asInt()).isEqualTo(404);
    }

    /** Where the only system is unreachable, what needs it is down, with the probes' reasons. */
    @Test
    void servicesAreDownWhenNoSystemServesThem() {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        ok(downClient.get("/v1/status/services", alice)).get("out").forEach(service -> services.put(service.get("service").asText(), service));
        assertThat(services.keySet()).containsExactly("status", "compute", "utilities", "storage", "tasks", "reservations");
        for (String name : List.of("status", "tasks")) {
            assertThat(services.get(name).get("status").asText()).as(name).isEqualTo("available");
        }
        for (String name : List.of("compute", "utilities", "storage", "reservations")) {
            JsonNode service = services.get(name);
            assertThat(service.get("status").asText()).as(name).isEqualTo("not available");
            assertThat(service.get("status_code").asInt()).as(name).isEqualTo(400);
            assertThat(service.get("description").asText()).as(name).startsWith("server down: ");
        }
        assertThat(services.get("utilities").get("description").asText()).startsWith("server down: down ssh probe failed");
        assertThat(services.get("compute").get("description").asText()).contains("down ssh probe failed", "down scheduler probe failed");
        // The staging bucket answers, the scheduler does not: storage's transfers are jobs.
        assertThat(services.get("storage").get("description").asText()).contains("down scheduler probe failed").doesNotContain("s3 probe");
        assertThat(services.get("reservations").get("description").asText()).contains("no reservations tool is configured");

        JsonNode single = ok(downClient.get("/v1/status/services/utilities", alice));
        assertThat(single.get("status").asText()).isEqualTo("not available");
    }

    // ================================================================ systems

    @Test
    void systemsTellTheirSshAndFileSystemHealth() {
        JsonNode response = ok(client.get("/v1/status/systems", alice));
        assertThat(response.get("description").asText()).isEqualTo("List of systems with status and description.");
        JsonNode out = response.get("out");
        assertThat(out.get(0).toString()).isEqualTo("{\"system\":\"cluster\",\"status\":\"available\",\"description\":\"System ready\"}");
        assertThat(out.get(1).toString()).isEqualTo("{\"system\":\"brokenfs\",\"status\":\"not available\",\"description\":"
                + "\"Filesystem " + MISSING_FS + " is not available\"}");
        assertThat(out.get(2).get("system").asText()).isEqualTo("down");
        assertThat(out.get(2).get("status").asText()).isEqualTo("not available");
        assertThat(out.get(2).get("description").asText()).startsWith("System does not accept connections");
        assertThat(out).hasSize(3);

        JsonNode one = ok(client.get("/v1/status/systems/cluster", alice));
        assertThat(one.toString()).isEqualTo("{\"description\":\"System information\",\"out\":"
                + "{\"system\":\"cluster\",\"status\":\"available\",\"description\":\"System ready\"}}");
        assertThat(ok(client.get("/v1/status/systems/down", alice)).at("/out/status").asText()).isEqualTo("not available");

        ApiClient.Response unknown = client.get("/v1/status/systems/nosuchsystem", alice);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().toString()).isEqualTo("{\"description\":\"System does not exists.\"}");
    }

    // ================================================================ file systems

    @Test
    void fileSystemsAreTheConfiguredOnesWithTheirProbes() {
        JsonNode response = ok(client.get("/v1/status/filesystems", alice));
        assertThat(response.get("description").asText()).isEqualTo("Filesystem information");
        JsonNode out = response.get("out");
        assertThat(fieldNames(out)).containsExactly("cluster", "brokenfs", "down");
        assertThat(out.get("cluster").toString()).isEqualTo("[{\"name\":\"USERS\",\"path\":\"/home\","
                + "\"description\":\"users file system (default working directory)\",\"status_code\":200,\"status\":\"available\"},"
                + "{\"name\":\"SCRATCH\",\"path\":\"/tmp\",\"description\":\"scratch file system\",\"status_code\":200,\"status\":\"available\"}]");
        JsonNode broken = out.get("brokenfs");
        assertThat(broken).hasSize(3);
        assertThat(broken.get(0).get("status").asText()).isEqualTo("available");
        assertThat(broken.get(2).get("path").asText()).isEqualTo(MISSING_FS);
        assertThat(broken.get(2).get("status").asText()).isEqualTo("not available");
        assertThat(broken.get(2).get("status_code").asInt()).isEqualTo(400);
        out.get("down").forEach(fileSystem -> assertThat(fileSystem.get("status").asText()).isEqualTo("not available"));

        JsonNode one = ok(client.get("/v1/status/filesystems/brokenfs", alice));
        assertThat(one.get("description").asText()).isEqualTo("Filesystem information for system brokenfs");
        assertThat(one.get("out")).isEqualTo(broken);

        ApiClient.Response unknown = client.get("/v1/status/filesystems/nosuchsystem", alice);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("description").asText()).isEqualTo("Filesystem information for system nosuchsystem");
        assertThat(unknown.json().get("out").asText()).isEqualTo("System 'nosuchsystem' doesn't exist");
    }

    @Test
    void statusNeedsATokenButNoMachineName() {
        ApiClient.Response anonymous = client.get("/v1/status/parameters", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("description").asText()).isEqualTo("No Auth Header given");
        assertThat(client.get("/v1/status/systems", LocalServices.mockToken("bob")).status()).isEqualTo(200);
    }

    // ================================================================ helpers

    private static JsonNode ok(ApiClient.Response response) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(200);
        return response.json();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
