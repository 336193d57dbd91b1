package io.goldcrest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goldcrest.config.ConfigLoader;
import io.goldcrest.config.GoldcrestConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The real local services the project's scripts start on 127.0.0.1 ({@code ./goldcrest services up}):
 * the cluster (sshd + Slurm), mock-oauth2-server, Redis, Keycloak, S3Proxy and Ceph radosgw. Integration
 * tests fail, not skip, when they are missing: a green run must mean the features work against real components.
 */
public final class LocalServices {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalServices() {}

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: run the tests with ./goldcrest test, which starts the local services");
        }
        return value;
    }

    public static Path clusterDirectory() {
        return Path.of(required("GOLDCREST_CLUSTER_DIR"));
    }

    public static String mockIssuer() {
        return required("GOLDCREST_MOCK_ISSUER");
    }

    public static String keycloakIssuer() {
        return required("GOLDCREST_KEYCLOAK_ISSUER");
    }

    /** {@code redis://127.0.0.1:<port>} of the Redis from {@code scripts/redis.sh}, without a password. */
    public static String redisUrl() {
        return required("GOLDCREST_REDIS_URL");
    }

    /** S3Proxy (scripts/s3proxy.sh): checks signatures, no lifecycle rules. */
    public static S3Service s3Proxy() {
        return new S3Service(URI.create(required("GOLDCREST_S3_ENDPOINT")), required("GOLDCREST_S3_ACCESS_KEY"),
                required("GOLDCREST_S3_SECRET_KEY"));
    }

    /** Ceph radosgw (scripts/radosgw.sh): enforces lifecycle rules, one "day" lasting 10 s. */
    public static S3Service radosgw() {
        return new S3Service(URI.create(required("GOLDCREST_RGW_ENDPOINT")), required("GOLDCREST_RGW_ACCESS_KEY"),
                required("GOLDCREST_RGW_SECRET_KEY"));
    }

    public record S3Service(URI endpoint, String accessKey, String secretKey) {}

    /** The local sshd's host public key line, without its comment. */
    public static String hostKey() {
        try {
            String[] parts = Files.readString(clusterDirectory().resolve("ssh/ssh_host_ed25519_key.pub")).trim().split("\\s+");
            return parts[0] + " " + parts[1];
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the local cluster's host key", e);
        }
    }

    /** The dev configuration template rendered as {@code ./goldcrest dev} renders it, on free ports, with a fresh state directory. */
    public static String devConfigYaml() {
        try {
            return devConfigYaml(Files.createTempDirectory("goldcrest-state"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same with {@code stateDirectory} as the state directory (where the task store lives). */
    public static String devConfigYaml(Path stateDirectory) {
        try {
            return Files.readString(Path.of("config/dev.yaml.in"))
                    .replace("@ISSUER@", mockIssuer())
                    .replace("@CLUSTER_DIR@", clusterDirectory().toString())
                    .replace("@HOST_KEY@", hostKey())
                    .replace("@STATE@", stateDirectory.toString())
                    .replace("port: 8000", "port: 0")
                    .replace("port: 9464", "port: 0");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read config/dev.yaml.in", e);
        }
    }

    public static GoldcrestConfig config(String yaml) {
        return ConfigLoader.parse(yaml, Path.of("."));
    }

    /** An access token for a local test user from the mock IdP (which signs whatever user is asked for). */
    public static String mockToken(String user) {
        return mockToken(user, "goldcrest-cli");
    }

    /** The same, issued to another OAuth client (the token's {@code azp}). */
    public static String mockToken(String user, String clientId) {
        return token(mockIssuer() + "/token", Map.of("grant_type", "password", "username", user, "password", "x",
                "client_id", clientId, "scope", "openid"));
    }

    /** A password-grant token for a local test user from Keycloak, through the confidential client. */
    public static String keycloakPasswordToken(String user) {
        return token(keycloakIssuer() + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "goldcrest-service", "client_secret", "goldcrest-service-secret",
                "username", user, "password", user + "-pass", "scope", "openid"));
    }

    /** A client-credentials token from Keycloak for the confidential client's service account. */
    public static String keycloakServiceToken() {
        return token(keycloakIssuer() + "/protocol/openid-connect/token", Map.of("grant_type", "client_credentials",
                "client_id", "goldcrest-service", "client_secret", "goldcrest-service-secret"));
    }

    private static String token(String url, Map<String, String> form) {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("token endpoint %s answered %s", url, response.body()).isEqualTo(200);
            JsonNode json = JSON.readTree(response.body());
            return json.get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the IdP at " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
