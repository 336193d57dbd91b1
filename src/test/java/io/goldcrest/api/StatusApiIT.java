package io.goldcrest.api;

import static io.goldcrest.api.ApiClient.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The v2 status API end to end: tokens from the dev IdP (mock-oauth2-server), Goldcrest with the dev
 * configuration, delegation through our CA, the real sshd and Slurm of the local cluster.
 */
class StatusApiIT {
    private static Goldcrest goldcrest;
    private static ApiClient client;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        goldcrest = Goldcrest.start(LocalServices.config(LocalServices.devConfigYaml()
                .replace("apis_root_path: \"\"", "apis_root_path: \"/api/v2\"")), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        alice = LocalServices.mockToken("alice");
        bob = LocalServices.mockToken("bob");
    }

    @AfterAll
    static void stop() {
        goldcrest.close();
    }

    @Test
    void userinfoRunsAsTheTokensUser() {
        ApiClient.Response response = client.get("/status/cluster/userinfo", alice);
        assertThat(response.status()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.at("/user/name").asText()).isEqualTo("alice");
        assertThat(json.at("/user/id").asText()).matches("\\d+");
        assertThat(json.at("/group/name").asText()).isNotEmpty();
        assertThat(json.get("groups").isArray()).isTrue();
        assertThat(json.get("accounts").toString()).isEqualTo("[{\"name\":\"proj1\",\"default\":true},{\"name\":\"proj2\",\"default\":false}]");

        JsonNode bobInfo = client.get("/status/cluster/userinfo", bob).json();
        assertThat(bobInfo.at("/user/name").asText()).isEqualTo("bob");
        assertThat(bobInfo.at("/user/id").asText()).isNotEqualTo(json.at("/user/id").asText());
        assertThat(bobInfo.get("accounts").toString()).isEqualTo("[{\"name\":\"proj1\",\"default\":true}]");
    }

    @Test
    void systemsShowsConfigAndHealth() throws InterruptedException {
        JsonNode system = null;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            system = client.get("/status/systems", alice).json().get("systems").get(0);
            if (!system.get("servicesHealth").isNull()) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(system.get("name").asText()).isEqualTo("cluster");
        assertThat(system.at("/ssh/port").asInt()).isEqualTo(2222);
        assertThat(system.at("/ssh/timeout/commandExecution").asInt()).isEqualTo(5);
        assertThat(system.at("/scheduler/type").asText()).isEqualTo("slurm");
        assertThat(system.at("/fileSystems/0/path").asText()).isEqualTo("/home");
        assertThat(system.at("/dataOperation/max_ops_file_size").asLong()).isEqualTo(5242880);
        List<String> healthy = new ArrayList<>();
        system.get("servicesHealth").forEach(result -> {
            assertThat(result.get("healthy").asBoolean()).as(result.toString()).isTrue();
            healthy.add(result.get("serviceType").asText() + (result.has("path") ? ":" + result.get("path").asText() : ""));
        });
        assertThat(healthy).containsExactlyInAnyOrder("ssh", "scheduler", "filesystem:/home", "filesystem:/tmp", "s3");
        assertThat(system.get("lastHealthCheck").asText()).isNotEmpty();
        assertThat(system.toString()).doesNotContain("user_ca").doesNotContain("PRIVATE").doesNotContain("goldcrest-staging-secret");
    }

    @Test
    void livenessNeedsNoToken() {
        ApiClient.Response response = client.get("/status/liveness/", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().has("healthcheckRuns")).isTrue();
        assertThat(response.json().get("lastUpdate").asLong()).isBetween(0L, 900L);
    }

    @Test
    void schedulerViews() {
        JsonNode partitions = client.get("/status/cluster/partitions", alice).json().get("partitions");
        List<String> names = new ArrayList<>();
        partitions.forEach(partition -> names.add(partition.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("normal", "xfer");
        assertThat(partitions.get(0).get("partition").asText()).isEqualTo("UP");

        JsonNode node = client.get("/status/cluster/nodes", bob).json().get("nodes").get(0);
        assertThat(node.get("name").asText()).isEqualTo("localhost");
        assertThat(node.get("cpus").asInt()).isEqualTo(8);
        assertThat(node.get("partitions").toString()).contains("normal", "xfer");

        ApiClient.Response reservations = client.get("/status/cluster/reservations", alice);
        assertThat(reservations.status()).isEqualTo(200);
        assertThat(reservations.json().get("reservations").isArray()).isTrue();
    }

    @Test
    void pathsAreCaseInsensitiveAndServedUnderTheRootPathToo() {
        assertThat(client.get("/STATUS/Cluster/partitions", alice).status()).isEqualTo(200);
        assertThat(client.get("/api/v2/status/cluster/partitions?show_hidden=false", alice).status()).isEqualTo(200);
        // httpx sends an unset optional as an empty value; it means "not given".
        assertThat(client.get("/status/cluster/partitions?show_hidden=", alice).status()).isEqualTo(200);
    }

    @Test
    void responsesCarryFirecrestHeaders() {
        ApiClient.Response response = client.get("/status/systems", alice);
        assertThat(response.header("F7T-AppVersion")).isEqualTo("2.x.x");
        assertThat(response.header("F7T-Timestamp")).matches("\\d+\\.\\d{6}");
        assertThat(response.header("X-Request-ID")).matches("[0-9a-f]{32}");
        assertThat(response.header("X-Correlation-ID")).isEqualTo(response.header("X-Request-ID"));
    }

    @Test
    void authenticationFailures() {
        ApiClient.Response missing = client.get("/status/systems", null);
        assertError(missing, 401, "Not authenticated", null);
        assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");

        assertError(client.get("/status/cluster/userinfo", alice + "x"), 401, "Access token is invalid: bad signature.", null);
        assertError(client.get("/status/cluster/userinfo", "garbage"), 401, "Access token is invalid: it is not a signed JWT.", null);
        // The mock IdP signs a token for an unmapped user, but without our audience.
        assertError(client.get("/status/cluster/userinfo", LocalServices.mockToken("carol")), 401,
                "Access token is invalid: audience not accepted.", null);
    }

    @Test
    void unknownSystemsRoutesAndBadParameters() {
        assertError(client.get("/status/nosuch/userinfo", alice), 404, "System not found", "alice");
        assertError(client.get("/status/nosuch/userinfo", null), 401, "Not authenticated", null);
        ApiClient.Response route = client.get("/nothing/here", alice);
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().get("message").asText()).isEqualTo("Not Found");
        assertThat(client.send("DELETE", "/status/systems", alice).status()).isEqualTo(405);

        ApiClient.Response bad = client.get("/status/cluster/partitions?show_hidden=maybe", alice);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errorType").asText()).isEqualTo("validation");
        assertThat(bad.json().at("/data/fields/0/name").asText()).isEqualTo("show_hidden");
        assertThat(bad.json().at("/data/fields/0/location").asText()).isEqualTo("query");
    }
}
