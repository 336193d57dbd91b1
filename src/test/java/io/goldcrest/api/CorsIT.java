package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS through HTTP: preflights from a configured origin are answered without a token, other
 * origins get no CORS header, and without configured origins there is no CORS at all.
 */
class CorsIT {
    private static final String PORTAL = "https://portal.example.org";

    private static Goldcrest goldcrest;
    private static Goldcrest plain;
    private static ApiClient client;
    private static ApiClient plainClient;
    private static String alice;

    @BeforeAll
    static void start() {
        String yaml = LocalServices.devConfigYaml();
        String withCors = yaml.replace("goldcrest:\n  server:", """
                goldcrest:
                  gateway:
                    cors: {origins: ["https://portal.example.org", "http://127.0.0.1:3000"], max_age: 5m}
                  server:""");
        assertThat(withCors).isNotEqualTo(yaml);
        goldcrest = Goldcrest.start(LocalServices.config(withCors), Clock.systemUTC());
        plain = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        plainClient = new ApiClient(plain.port());
        alice = LocalServices.mockToken("alice");
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
        if (plain != null) {
            plain.close();
        }
    }

    private static ApiClient.Response preflight(ApiClient api, String path, String origin, String method) {
        return api.send("OPTIONS", path, null, Map.of("Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", "authorization,content-type"), null, null);
    }

    private static List<String> list(ApiClient.Response response, String header) {
        String value = response.header(header);
        assertThat(value).as(header).isNotNull();
        return List.of(value.split("\\s*,\\s*"));
    }

    private static void assertNoCors(ApiClient.Response response) {
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void aConfiguredOriginsPreflightIsAnsweredWithoutAToken() {
        for (String path : List.of("/compute/cluster/jobs", "/filesystem/cluster/ops/mkdir", "/v1/utilities/mkdir", "/tasks/x")) {
            ApiClient.Response response = preflight(client, path, PORTAL, "POST");
            assertThat(response.status()).as(path).isEqualTo(204);
            assertThat(response.body()).isEmpty();
            assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(PORTAL);
            assertThat(list(response, "Access-Control-Allow-Methods")).containsExactlyInAnyOrder("GET", "POST", "PUT", "DELETE");
            assertThat(list(response, "Access-Control-Allow-Headers"))
                    .contains("Authorization", "Content-Type", "X-Machine-Name", "X-Task-Id");
            assertThat(response.header("Access-Control-Max-Age")).isEqualTo("300");
            assertThat(response.header("Access-Control-Allow-Credentials")).isNull();
            assertThat(response.header("Vary")).contains("Origin");
        }
        // The origin is compared without regard to case, as browsers lower-case it anyway.
        assertThat(preflight(client, "/status/systems", "http://127.0.0.1:3000", "GET").header("Access-Control-Allow-Origin"))
                .isEqualTo("http://127.0.0.1:3000");
    }

    @Test
    void anUnlistedOriginGetsNoCorsHeaders() {
        for (String origin : List.of("https://evil.example.org", "https://portal.example.org:8443", "http://portal.example.org", "null")) {
            ApiClient.Response response = preflight(client, "/compute/cluster/jobs", origin, "POST");
            assertThat(response.status()).as(origin).isNotEqualTo(204);
            assertNoCors(response);
            ApiClient.Response get = client.send("GET", "/status/systems", alice, Map.of("Origin", origin), null, null);
            assertThat(get.status()).isEqualTo(200);
            assertNoCors(get);
            assertThat(get.header("Vary")).contains("Origin");
        }
    }

    @Test
    void actualRequestsFromAConfiguredOriginMayReadTheAnswerAndItsHeaders() {
        ApiClient.Response response = client.send("GET", "/status/systems", alice, Map.of("Origin", PORTAL), null, null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(PORTAL);
        assertThat(list(response, "Access-Control-Expose-Headers"))
                .contains("X-Request-ID", "F7T-Timestamp", "RateLimit-Remaining", "Retry-After", "X-Permission-Denied", "X-Machine-Does-Not-Exist");
        // Errors too, so that the page can tell the user to log in.
        ApiClient.Response unauthenticated = client.send("GET", "/status/systems", null, Map.of("Origin", PORTAL), null, null);
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.header("Access-Control-Allow-Origin")).isEqualTo(PORTAL);
        ApiClient.Response v1 = client.send("GET", "/v1/status/systems", alice, Map.of("Origin", PORTAL), null, null);
        assertThat(v1.status()).isEqualTo(200);
        assertThat(v1.header("Access-Control-Allow-Origin")).isEqualTo(PORTAL);
    }

    @Test
    void withoutConfiguredOriginsThereIsNoCors() {
        ApiClient.Response preflight = preflight(plainClient, "/compute/cluster/jobs", PORTAL, "POST");
        assertThat(preflight.status()).isNotEqualTo(204);
        assertNoCors(preflight);
        ApiClient.Response get = plainClient.send("GET", "/status/systems", alice, Map.of("Origin", PORTAL), null, null);
        assertThat(get.status()).isEqualTo(200);
        assertNoCors(get);
        assertThat(get.header("Vary")).isNull();
    }
}
