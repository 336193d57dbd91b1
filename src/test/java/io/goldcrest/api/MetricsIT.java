package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} end to end against the real cluster: the counters move by what the requests did,
 * on a listener of its own or behind a token on the API's port, and not at all when disabled.
 */
class MetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DEV_METRICS = "  metrics: {host: \"127.0.0.1\", port: 0}\n";
    private static final String LS = "/filesystem/{system_name}/ops/ls";
    private static final String JOBS = "/compute/{system_name}/jobs";

    private static Goldcrest goldcrest;
    private static ApiClient api;
    private static ApiClient scraper;
    private static String alice;

    @BeforeAll
    static void start() {
        String yaml = LocalServices.devConfigYaml();
        assertThat(yaml).as("the dev configuration serves metrics on a port of their own").contains(DEV_METRICS);
        goldcrest = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC());
        api = new ApiClient(goldcrest.port());
        scraper = new ApiClient(goldcrest.metricsPort().orElseThrow());
        alice = LocalServices.mockToken("alice");
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
    }

    @Test
    void theCountersMoveByWhatTheRequestsDid() throws InterruptedException {
        Samples before = waitForHealth();

        assertThat(api.get("/filesystem/cluster/ops/ls?path=/home/alice", alice).status()).isEqualTo(200);
        assertThat(api.get("/filesystem/cluster/ops/ls?path=/home/alice", alice).status()).isEqualTo(200);
        assertThat(api.get("/filesystem/cluster/ops/ls?path=/home/alice/nonexistent-metrics-it-" + UUID.randomUUID(), alice).status()).isEqualTo(404);
        assertThat(api.get("/compute/cluster/jobs", alice).status()).isEqualTo(200);
        assertThat(api.get("/no/such/route/" + UUID.randomUUID(), alice).status()).isEqualTo(404);
        assertThat(api.send("GET", "/v1/utilities/ls?targetPath=/home/alice", alice, Map.of("X-Machine-Name", "cluster"), null, null)
                .status()).isEqualTo(200);

        ApiClient.Response scraped = scraper.get("/metrics", null);
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.header("Content-Type")).isEqualTo(Metrics.CONTENT_TYPE);
        Samples after = Samples.parse(scraped.text());

        // Requests by route template and status, never by raw path.
        assertThat(after.delta(before, "goldcrest_http_server_requests_seconds_count", request(LS, "200"))).isEqualTo(2);
        assertThat(after.delta(before, "goldcrest_http_server_requests_seconds_count", request(LS, "404"))).isEqualTo(1);
        assertThat(after.delta(before, "goldcrest_http_server_requests_seconds_count", request(JOBS, "200"))).isEqualTo(1);
        assertThat(after.delta(before, "goldcrest_http_server_requests_seconds_count", request("unmatched", "404"))).isEqualTo(1);
        assertThat(after.delta(before, "goldcrest_http_server_requests_seconds_count", request("/v1/utilities/ls", "200"))).isEqualTo(1);
        assertThat(after.delta(before, "goldcrest_http_server_requests_seconds_bucket",
                labels -> request(LS, "200").test(labels) && "+Inf".equals(labels.get("le")))).isEqualTo(2);
        assertThat(after.delta(before, "goldcrest_http_server_requests_seconds_sum", request(LS, "200"))).isPositive();
        assertThat(scraped.text()).doesNotContain("nonexistent-metrics-it").doesNotContain("/no/such/route");

        // Remote operations: Slurm's squeue for the job list, SFTP listings for ls, the failed one by its outcome.
        assertThat(after.delta(before, "goldcrest_remote_operation_seconds_count",
                labels -> labels.get("kind").equals("exec") && labels.get("name").equals("squeue") && labels.get("system").equals("cluster")))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.delta(before, "goldcrest_remote_operation_seconds_count",
                labels -> labels.get("kind").equals("sftp") && labels.get("name").contains("list"))).isGreaterThanOrEqualTo(2);
        assertThat(after.delta(before, "goldcrest_remote_operations_total",
                labels -> labels.get("kind").equals("sftp") && labels.get("outcome").equals("path_not_found"))).isEqualTo(1);

        // The pool: alice's connection, and its kept SFTP channel.
        assertThat(after.value("goldcrest_ssh_connections", Map.of("system", "cluster"))).isGreaterThanOrEqualTo(1);
        assertThat(after.value("goldcrest_ssh_channels", Map.of("system", "cluster"))).isGreaterThanOrEqualTo(1);

        // Health: one gauge per probe, agreeing with what /status/systems reports.
        JsonNode results = api.get("/status/systems", alice).json().at("/systems/0/servicesHealth");
        assertThat(results.size()).isGreaterThanOrEqualTo(4);
        for (JsonNode result : results) {
            Map<String, String> labels = Map.of("system", "cluster", "service", result.get("serviceType").asText(),
                    "path", result.has("path") && !result.get("path").isNull() ? result.get("path").asText() : "");
            Samples now = Samples.parse(scraper.get("/metrics", null).text());
            assertThat(now.value("goldcrest_health_check_up", labels)).as("%s", labels).isEqualTo(result.get("healthy").asBoolean() ? 1.0 : 0.0);
            assertThat(now.value("goldcrest_health_check_age_seconds", labels)).isNotNegative();
            assertThat(now.value("goldcrest_health_check_latency_seconds", labels)).isNotNegative();
        }

        assertThat(after.value("jvm_threads_live_threads", Map.of())).isPositive();
    }

    @Test
    void theSeparateListenerServesMetricsOnlyAndTheApiPortNone() {
        assertThat(scraper.get("/status/systems", alice).status()).isEqualTo(404);
        assertThat(scraper.send("POST", "/metrics", null).status()).isIn(404, 405);
        // No token configured: the API's port has no /metrics at all.
        assertThat(api.get("/metrics", alice).status()).isEqualTo(404);
    }

    @Test
    void behindATokenOnTheApiPort() {
        String token = "metrics-" + UUID.randomUUID();
        String yaml = LocalServices.devConfigYaml().replace(DEV_METRICS, "  metrics: {token: \"" + token + "\"}\n");
        try (Goldcrest tokenOnly = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC())) {
            assertThat(tokenOnly.metricsPort()).isEmpty();
            ApiClient client = new ApiClient(tokenOnly.port());
            assertThat(client.get("/metrics", null).status()).isEqualTo(401);
            assertThat(client.get("/metrics", token + "x").status()).isEqualTo(401);
            assertThat(client.get("/metrics", token.substring(1)).status()).isEqualTo(401);
            // An OIDC token is not the metrics token.
            assertThat(client.get("/metrics", alice).status()).isEqualTo(401);

            ApiClient.Response scraped = client.get("/metrics", token);
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.header("Content-Type")).isEqualTo(Metrics.CONTENT_TYPE);
            Samples samples = Samples.parse(scraped.text());
            assertThat(samples.value("goldcrest_http_server_requests_seconds_count", request("/metrics", "401"))).isEqualTo(4);
            assertThat(scraped.text()).doesNotContain(token);
        }
    }

    @Test
    void disabledServesNothing() {
        String token = "metrics-" + UUID.randomUUID();
        String yaml = LocalServices.devConfigYaml().replace(DEV_METRICS,
                "  metrics: {enabled: false, port: 0, token: \"" + token + "\"}\n");
        try (Goldcrest disabled = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC())) {
            assertThat(disabled.metricsPort()).isEmpty();
            assertThat(new ApiClient(disabled.port()).get("/metrics", token).status()).isEqualTo(404);
        }
    }

    /** Scrapes until the health monitor's first run shows (it starts with the server). */
    private static Samples waitForHealth() throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            Samples samples = Samples.parse(scraper.get("/metrics", null).text());
            if (samples.has("goldcrest_health_check_up", labels -> labels.get("system").equals("cluster"))) {
                return samples;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no health gauge within " + WAIT);
    }

    private static Predicate<Map<String, String>> request(String route, String status) {
        return labels -> "GET".equals(labels.get("method")) && route.equals(labels.get("route")) && status.equals(labels.get("status"));
    }

    /** Samples of a Prometheus text exposition: series (name and labels) to value. */
    record Samples(Map<Series, Double> values) {
        private record Series(String name, Map<String, String> labels) {}

        static Samples parse(String text) {
            Map<Series, Double> values = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int brace = line.indexOf('{');
                int space = line.lastIndexOf(' ');
                String name;
                Map<String, String> labels = new HashMap<>();
                if (brace >= 0 && brace < space) {
                    name = line.substring(0, brace);
                    int end = parseLabels(line, brace + 1, labels);
                    assertThat(line.charAt(end)).as(line).isEqualTo('}');
                } else {
                    name = line.substring(0, space);
                }
                values.put(new Series(name, Map.copyOf(labels)), Double.parseDouble(line.substring(space + 1)));
            }
            return new Samples(values);
        }

        /** Reads {@code key="value",...} from {@code start}; returns the index of the closing brace. */
        private static int parseLabels(String line, int start, Map<String, String> labels) {
            int i = start;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                String key = line.substring(i, equals);
                assertThat(line.charAt(equals + 1)).as(line).isEqualTo('"');
                StringBuilder value = new StringBuilder();
                int j = equals + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            return i;
        }

        boolean has(String name, Predicate<Map<String, String>> labels) {
            return values.keySet().stream().anyMatch(series -> series.name().equals(name) && labels.test(series.labels()));
        }

        /** The sum over the series of that name whose labels match. */
        double sum(String name, Predicate<Map<String, String>> labels) {
            return values.entrySet().stream().filter(entry -> entry.getKey().name().equals(name) && labels.test(entry.getKey().labels()))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        double delta(Samples before, String name, Predicate<Map<String, String>> labels) {
            return sum(name, labels) - before.sum(name, labels);
        }

        /** The value of the one series with exactly these labels. */
        double value(String name, Map<String, String> labels) {
            Double value = values.get(new Series(name, labels));
            assertThat(value).as("series %s%s in %s", name, labels, values.keySet().stream().filter(s -> s.name().equals(name)).toList())
                    .isNotNull();
            return value;
        }

        double value(String name, Predicate<Map<String, String>> labels) {
            assertThat(has(name, labels)).as("a series %s", name).isTrue();
            return sum(name, labels);
        }
    }
}
