package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.RootCommands;
import io.goldcrest.api.docs.ServedRoute;
import io.goldcrest.config.BuildInfo;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.GoldcrestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The API document against the routes a real Goldcrest serves, both ways, and the document, its UI
 * and the discovery endpoint over HTTP. When a route is added, the agreement tests name it: add its
 * entry to {@code src/main/resources/openapi/goldcrest.yaml}.
 */
class OpenApiIT {
    private static final String RESOURCE = "src/main/resources/openapi/goldcrest.yaml";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Pattern LINK = Pattern.compile("(?:src|href)=\"([^\"]*)\"");

    @Test
    void defaultConfigurationRoutesAndDocumentAgree() {
        GoldcrestConfig config = LocalServices.config(LocalServices.devConfigYaml());
        assertThat(config.v1().enabled()).isTrue();
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            assertAgreement(config, goldcrest);
        }
    }

    @Test
    void rootPathAndV1PrefixRoutesAndDocumentAgree() {
        GoldcrestConfig config = LocalServices.config(withRootPathAndV1Prefix(LocalServices.devConfigYaml()));
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            assertAgreement(config, goldcrest);
        }
    }

    @Test
    void documentIsServedWithoutAToken() {
        GoldcrestConfig config = LocalServices.config(withRootPathAndV1Prefix(LocalServices.devConfigYaml()));
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            ApiClient client = new ApiClient(goldcrest.port());
            for (String path : List.of("/openapi.json", "/api/v2/openapi.json")) {
                ApiClient.Response response = client.get(path, null);
                assertThat(response.status()).as(path).isEqualTo(200);
                assertThat(response.header("Content-Type")).startsWith("application/json");
                JsonNode document = response.json();
                assertThat(document.get("openapi").asText()).startsWith("3.1.");
                assertThat(document.at("/info/version").asText()).isEqualTo(BuildInfo.current().version());
                assertThat(document.at("/servers/1/url").asText()).isEqualTo("/api/v2");
                assertThat(document.get("paths").has("/firecrest/v1/compute/jobs/upload")).isTrue();
            }
        }
    }

    @Test
    void docsLoadEverythingFromThisServer() throws IOException {
        GoldcrestConfig config = LocalServices.config(withRootPathAndV1Prefix(LocalServices.devConfigYaml()));
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            ApiClient client = new ApiClient(goldcrest.port());
            for (String page : List.of("/docs", "/api/v2/docs")) {
                ApiClient.Response html = client.get(page, null);
                assertThat(html.status()).as(page).isEqualTo(200);
                assertThat(html.header("Content-Type")).startsWith("text/html");
                assertThat(html.header("Content-Security-Policy")).contains("script-src 'self'", "connect-src 'self'", "default-src 'none'");
                List<String> links = links(html.text());
                assertThat(links).contains("docs/swagger-ui-bundle.js", "docs/swagger-ui.css", "docs/swagger-initializer.js");
                URI base = URI.create("http://127.0.0.1:" + goldcrest.port() + page);
                for (String link : links) {
                    assertThat(link).as("a link the page loads").doesNotContain("//").doesNotStartWith("/");
                    String path = base.resolve(link).getPath();
                    assertThat(path).startsWith(page + "/");
                    ApiClient.Response asset = client.get(path, null);
                    assertThat(asset.status()).as(path).isEqualTo(200);
                    assertThat(asset.header("X-Content-Type-Options")).isEqualTo("nosniff");
                    if (link.endsWith(".js")) {
                        assertThat(asset.header("Content-Type")).startsWith("text/javascript");
                    } else if (link.endsWith(".css")) {
                        assertThat(asset.header("Content-Type")).startsWith("text/css");
                    }
                }
                // The bundle is the webjar's file, byte for byte.
                assertThat(client.get(base.resolve("docs/swagger-ui-bundle.js").getPath(), null).body())
                        .isEqualTo(webjarFile("swagger-ui-bundle.js"));
                // The initializer loads this server's document (relative to the page), not the petstore's.
                String initializer = client.get(base.resolve("docs/swagger-initializer.js").getPath(), null).text();
                Matcher url = Pattern.compile("url: \"([^\"]+)\"").matcher(initializer);
                assertThat(url.find()).isTrue();
                assertThat(initializer).doesNotContain("://");
                ApiClient.Response document = client.get(base.resolve(url.group(1)).getPath(), null);
                assertThat(document.status()).isEqualTo(200);
                assertThat(document.json().get("openapi").asText()).startsWith("3.1.");
            }
            ApiClient.Response slash = client.get("/docs/", null);
            assertThat(slash.status()).isEqualTo(308);
            assertThat(URI.create("http://127.0.0.1/docs/").resolve(slash.header("Location")).getPath()).isEqualTo("/docs");
            assertThat(client.get("/docs/swagger-ui.js", null).status()).as("outside the allow-list").isEqualTo(404);
            assertThat(client.get("/docs/..%2Fopenapi.json", null).status()).isIn(400, 404);
        }
    }

    @Test
    void discoveryTellsTheConfigurationAndNoSecret() {
        String yaml = withRootPathAndV1Prefix(LocalServices.devConfigYaml())
                .replace("access_key_id: \"goldcrest\"", "access_key_id: \"discovery-access-key-4f1c\"")
                .replace("secret_access_key: \"goldcrest-staging-secret\"", "secret_access_key: \"discovery-secret-key-93be\"");
        GoldcrestConfig config = LocalServices.config(yaml);
        ClusterConfig cluster = config.clusters().getFirst();
        ClusterConfig.S3Transfer s3 = (ClusterConfig.S3Transfer) cluster.dataOperation().dataTransfer().orElseThrow();
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            ApiClient client = new ApiClient(goldcrest.port());
            assertThat(client.get("/discovery", null).status()).isEqualTo(401);
            String token = LocalServices.mockToken("alice");

            ApiClient.Response response = client.get("/discovery", token);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            assertThat(client.get("/api/v2/discovery", token).status()).isEqualTo(200);
            JsonNode discovery = response.json();

            assertThat(discovery.at("/server/version").asText()).isEqualTo(BuildInfo.current().version());
            JsonNode v2 = discovery.at("/apis/0");
            assertThat(v2.get("name").asText()).isEqualTo("firecrest-v2");
            assertThat(v2.get("version").asText()).isEqualTo(config.appVersion());
            assertThat(texts(v2.get("basePaths"))).containsExactly("/", "/api/v2");
            JsonNode v1 = discovery.at("/apis/1");
            assertThat(v1.get("name").asText()).isEqualTo("firecrest-v1");
            assertThat(texts(v1.get("basePaths"))).containsExactly(config.v1().prefix());
            assertThat(config.v1().prefix()).isEqualTo("/firecrest/v1");
            assertThat(discovery.at("/documentation/openapi").asText()).isEqualTo("/openapi.json");

            JsonNode system = discovery.at("/systems/0");
            assertThat(discovery.get("systems")).hasSize(config.clusters().size());
            assertThat(system.get("name").asText()).isEqualTo(cluster.name());
            assertThat(system.at("/limits/maxOpsFileSize").asLong()).isEqualTo(cluster.dataOperation().maxOpsFileSize());
            assertThat(system.at("/limits/commandTimeout").asLong()).isEqualTo(cluster.ssh().timeout().commandExecution().toSeconds());
            JsonNode transfer = system.at("/transferMethods/0");
            assertThat(transfer.get("method").asText()).isEqualTo("s3");
            assertThat(transfer.get("served").asBoolean()).isTrue();
            assertThat(transfer.get("maxPartSize").asLong()).isEqualTo(s3.multipart().maxPartSize());
            assertThat(transfer.get("urlLifetime").asLong()).isEqualTo(s3.ttlSeconds());
            assertThat(system.at("/scheduler/type").asText()).isEqualTo("slurm");
            assertThat(system.at("/scheduler/configuredVersion").asText()).isEqualTo(cluster.scheduler().version());
            assertThat(system.at("/scheduler/version").asText()).as(system.toString()).isEqualTo(localSlurmVersion());

            String text = response.text();
            for (String secret : List.of(s3.accessKeyId().reveal(), s3.secretAccessKey().reveal(), s3.privateUrl().reveal(),
                    s3.publicUrl(), config.delegation().orElseThrow().caPrivateKeyFile().toString(), token)) {
                assertThat(text).as("the discovery answer shows a configured secret or address").doesNotContain(secret);
            }
        }
    }

    @Test
    void discoveryWithoutAProbeUserSaysWhyTheVersionIsUnknown() {
        String yaml = LocalServices.devConfigYaml().replace("probe_user: \"alice\"", "");
        GoldcrestConfig config = LocalServices.config(yaml);
        assertThat(config.clusters().getFirst().probeUser()).isEmpty();
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            JsonNode scheduler = new ApiClient(goldcrest.port()).get("/discovery", LocalServices.mockToken("bob")).json()
                    .at("/systems/0/scheduler");
            assertThat(scheduler.get("version").isNull()).isTrue();
            assertThat(scheduler.get("versionUnknownReason").asText()).contains("probe_user");
            assertThat(scheduler.get("configuredVersion").asText()).isEqualTo(config.clusters().getFirst().scheduler().version());
        }
    }

    // ------------------------------------------------------------------ agreement

    /**
     * Every route served is documented and every documented operation is served, with the same
     * method and template; a route needs no OIDC token exactly when the document names no {@code bearerAuth} for it.
     * Routes under apis_root_path are the v2 routes again: each must exist without it too.
     */
    private static void assertAgreement(GoldcrestConfig config, Goldcrest goldcrest) {
        JsonNode document = new ApiClient(goldcrest.port()).get("/openapi.json", null).json();
        String root = config.apisRootPath();

        Set<String> served = new TreeSet<>();
        Set<String> servedPublic = new TreeSet<>();
        Set<String> servedUnderRoot = new TreeSet<>();
        for (ServedRoute route : goldcrest.routes()) {
            String path = route.path();
            if (!root.isEmpty() && path.startsWith(root + "/")) {
                path = path.substring(root.length());
                servedUnderRoot.add(route.method() + " " + path);
            }
            served.add(route.method() + " " + path);
            if (route.isPublic()) {
                servedPublic.add(route.method() + " " + path);
            }
        }

        Set<String> documented = new TreeSet<>();
        Set<String> documentedPublic = new TreeSet<>();
        Set<String> documentedV2 = new TreeSet<>();
        String v1Prefix = config.v1().prefix();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            if (!METHODS.contains(entry.getKey())) {
                return;
            }
            String operation = entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
            documented.add(operation);
            JsonNode security = entry.getValue().get("security");
            // Public routes need no OIDC token: none at all (security: []) or a scheme of their own (/metrics).
            if (security != null && security.isArray() && security.findValue("bearerAuth") == null) {
                documentedPublic.add(operation);
            }
            if (!path.getKey().startsWith(v1Prefix + "/")) {
                documentedV2.add(operation);
            }
        }));

        // Soft: one run names every disagreement, not only the first.
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(difference(served, documented))
                    .as("routes served but missing from %s (add an operation for each)", RESOURCE).isEmpty();
            softly.assertThat(difference(documented, served))
                    .as("operations in %s that no route serves (remove them, or fix the method or path)", RESOURCE).isEmpty();
            softly.assertThat(servedPublic).as("routes needing no token (Access.PUBLIC) vs operations with security: []")
                    .isEqualTo(documentedPublic);
            if (!root.isEmpty()) {
                softly.assertThat(servedUnderRoot).as("v2 routes are served under apis_root_path %s too", root).isEqualTo(documentedV2);
            }
        });
        assertThat(documented).hasSizeGreaterThan(90);
    }

    private static Set<String> difference(Set<String> left, Set<String> right) {
        Set<String> result = new TreeSet<>(left);
        result.removeAll(right);
        return result;
    }

    // ------------------------------------------------------------------ helpers

    private static String withRootPathAndV1Prefix(String yaml) {
        return yaml.replace("apis_root_path: \"\"", "apis_root_path: \"/api/v2\"")
                .replace("\ngoldcrest:\n", "\ngoldcrest:\n  v1: {prefix: \"/firecrest/v1\"}\n")
                // /metrics on the API's port (token mode) must be documented as well.
                .replaceAll("\n  metrics: \\{[^}]*}\n", "\n  metrics: {token: \"metrics-scrape-token-0123\"}\n");
    }

    private static List<String> links(String html) {
        List<String> links = new ArrayList<>();
        Matcher matcher = LINK.matcher(html);
        while (matcher.find()) {
            links.add(matcher.group(1));
        }
        return links;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static byte[] webjarFile(String name) throws IOException {
        String resource = "/META-INF/resources/webjars/swagger-ui/" + BuildInfo.current().swaggerUiVersion() + "/" + name;
        try (InputStream input = OpenApiIT.class.getResourceAsStream(resource)) {
            assertThat(input).as(resource).isNotNull();
            return input.readAllBytes();
        }
    }

    /** The version the local cluster's sinfo reports, asked here as root, not through Goldcrest. */
    private static String localSlurmVersion() {
        String line = new String(RootCommands.slurm("sinfo", "--version"), StandardCharsets.UTF_8).strip();
        return line.substring(line.lastIndexOf(' ') + 1);
    }
}
