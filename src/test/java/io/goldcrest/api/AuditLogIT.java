package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.RootCommands;
import io.goldcrest.audit.AuditLog;
import io.goldcrest.audit.AuditScope;
import io.goldcrest.ssh.RemoteOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The audit log end to end: requests as bob through v2 and v1 against the real cluster, the lines of
 * logger {@code goldcrest.audit} captured as they are written. Each line is checked against the
 * request that caused it and against the operations a second listener saw, and the whole log is
 * searched for the token, the contents written, the paths used and the CA's private key.
 */
class AuditLogIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MARKER = "audit-marker-" + UUID.randomUUID().toString().replace("-", "");
    private static final String DIRECTORY = "/home/bob/" + MARKER;

    private static final Logger AUDIT = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();
    /** What the second listener saw: the request each operation ran for (null outside requests) and the operation. */
    private static final List<Map.Entry<String, RemoteOperation>> OBSERVED = new CopyOnWriteArrayList<>();
    private static final List<String> JOBS = new ArrayList<>();

    private static Level previousLevel;
    private static Goldcrest goldcrest;
    private static ApiClient client;
    private static V1FormClient v1;
    private static String bob;

    @BeforeAll
    static void start() {
        previousLevel = AUDIT.getLevel();
        AUDIT.setLevel(Level.INFO);
        AUDIT.setAdditive(false);
        LINES.start();
        AUDIT.addAppender(LINES);
        goldcrest = Goldcrest.start(LocalServices.config(LocalServices.devConfigYaml()), Clock.systemUTC(),
                operation -> OBSERVED.add(new java.util.AbstractMap.SimpleEntry<>(
                        AuditScope.current().map(AuditScope::requestId).orElse(null), operation)));
        client = new ApiClient(goldcrest.port());
        v1 = new V1FormClient(goldcrest.port());
        bob = LocalServices.mockToken("bob");
    }

    @AfterAll
    static void stop() {
        for (String job : JOBS) {
            RootCommands.slurm("scancel", job);
        }
        if (goldcrest != null) {
            goldcrest.close();
        }
        AUDIT.detachAppender(LINES);
        AUDIT.setAdditive(true);
        AUDIT.setLevel(previousLevel);
        RootCommands.sh("rm -rf -- \"$1\"", DIRECTORY);
    }

    private static List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(LINES.list)) {
            try {
                lines.add(JSON.readTree(event.getFormattedMessage()));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON audit line: " + event.getFormattedMessage(), e);
            }
        }
        return lines;
    }

    private static String requestId(ApiClient.Response response, int status) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(status);
        String id = response.header("X-Request-ID");
        assertThat(id).isNotBlank();
        return id;
    }

    @Test
    void oneLinePerRemoteOperationOfEachRequestAndNoSecret() throws Exception {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("mkdir", requestId(client.sendJson("POST", "/filesystem/cluster/ops/mkdir", bob,
                Map.of("path", DIRECTORY, "parent", true)), 201));
        requests.put("upload", requestId(client.upload("/filesystem/cluster/ops/upload?path=" + DIRECTORY, bob, "data.txt",
                ("file contents " + MARKER + "\n").getBytes(StandardCharsets.UTF_8)), 204));
        requests.put("ls", requestId(client.get("/filesystem/cluster/ops/ls?path=" + DIRECTORY, bob), 200));
        requests.put("ls-missing", requestId(client.get("/filesystem/cluster/ops/ls?path=" + DIRECTORY + "/missing", bob), 404));
        requests.put("systems", requestId(client.get("/status/systems", bob), 200));
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("working_directory", DIRECTORY);
        job.put("script", "#!/bin/bash\necho " + MARKER + "\n");
        job.put("standardOutput", "/dev/null");
        ApiClient.Response submitted = client.sendJson("POST", "/compute/cluster/jobs", bob, Map.of("job", job));
        requests.put("submit", requestId(submitted, 201));
        JOBS.add(submitted.json().get("jobId").asText());
        requests.put("jobs", requestId(client.get("/compute/cluster/jobs", bob), 200));
        ApiClient.Response v1Submitted = v1.multipart("/v1/compute/jobs/upload", bob, "cluster", Map.of(), "job.sh",
                ("#!/bin/bash\n#SBATCH --output=/dev/null\necho " + MARKER + "\n").getBytes(StandardCharsets.UTF_8));
        requests.put("v1-submit", requestId(v1Submitted, 201));
        // The task is finished only after its commands ended, so all their lines are written by then.
        waitForTask(v1Submitted.json().get("task_id").asText());

        List<JsonNode> lines = lines();
        Map<String, List<JsonNode>> byRequest = lines.stream().filter(line -> !line.get("request_id").isNull())
                .collect(Collectors.groupingBy(line -> line.get("request_id").asText()));

        // Exactly the operations the second listener saw for each request: none lost, none doubled.
        for (Map.Entry<String, String> request : requests.entrySet()) {
            List<String> logged = byRequest.getOrDefault(request.getValue(), List.of()).stream()
                    .map(line -> line.get("kind").asText() + " " + line.get("operation").asText()
                            + " " + line.get("exit_status") + " " + line.get("failure"))
                    .sorted().toList();
            List<String> seen = OBSERVED.stream().filter(entry -> request.getValue().equals(entry.getKey()))
                    .map(Map.Entry::getValue)
                    .map(operation -> operation.kind() + " " + operation.name() + " " + operation.exitStatus().map(String::valueOf).orElse("null")
                            + " " + operation.failure().map(code -> "\"" + code + "\"").orElse("null"))
                    .sorted().toList();
            assertThat(logged).as("audit lines of request %s", request.getKey()).isEqualTo(seen);
        }

        // Each request's lines name what it did.
        assertThat(operations(byRequest, requests.get("mkdir"))).singleElement().satisfies(op -> assertThat(op).startsWith("sftp ").contains("mkdir"));
        assertThat(operations(byRequest, requests.get("upload"))).singleElement().isEqualTo("sftp write");
        assertThat(operations(byRequest, requests.get("ls"))).singleElement().satisfies(op -> assertThat(op).startsWith("sftp ").contains("list"));
        assertThat(byRequest.get(requests.get("ls-missing"))).singleElement()
                .satisfies(line -> assertThat(line.get("failure").asText()).as("the error code of the 404").isEqualTo("PATH_NOT_FOUND"));
        assertThat(byRequest.get(requests.get("systems"))).as("a request that runs nothing remotely").isNull();
        assertThat(operations(byRequest, requests.get("submit"))).contains("exec sbatch");
        assertThat(byRequest.get(requests.get("submit"))).filteredOn(line -> line.get("operation").asText().equals("sbatch"))
                .singleElement().satisfies(line -> assertThat(line.get("exit_status").asInt()).isZero());
        assertThat(operations(byRequest, requests.get("jobs"))).contains("exec squeue");
        assertThat(operations(byRequest, requests.get("v1-submit"))).contains("sftp write", "exec sbatch");

        // Who: the token's user and client; v1's task carries on in the background for the same request.
        String clientId = clientIdOf(bob);
        for (String id : requests.values()) {
            for (JsonNode line : byRequest.getOrDefault(id, List.of())) {
                assertThat(line.get("user").asText()).isEqualTo("bob");
                assertThat(line.get("client").asText()).isEqualTo(clientId);
                assertThat(line.get("system").asText()).isEqualTo("cluster");
                assertThat(line.get("duration_ms").asDouble()).isNotNegative();
                assertThat(line.get("origin").asText()).isEqualTo(id.equals(requests.get("v1-submit")) ? "background" : "request");
            }
        }
        // The health monitor's probes (as probe_user alice) belong to no request.
        assertThat(lines).filteredOn(line -> line.get("request_id").isNull()).allSatisfy(line -> {
            assertThat(line.get("origin").asText()).isEqualTo("background");
            assertThat(line.get("client").isNull()).isTrue();
        });

        // No secret and no argument: not the token, the file and script contents, the paths, the CA key.
        String text = LINES.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
        assertThat(text).doesNotContain(bob).doesNotContain(bob.split("\\.")[2]).doesNotContain(MARKER).doesNotContain("/home/");
        for (String keyLine : Files.readAllLines(LocalServices.clusterDirectory().resolve("ssh/ca/user_ca"))) {
            if (!keyLine.startsWith("-----") && !keyLine.isBlank()) {
                assertThat(text).doesNotContain(keyLine);
            }
        }
    }

    private static List<String> operations(Map<String, List<JsonNode>> byRequest, String requestId) {
        return byRequest.getOrDefault(requestId, List.of()).stream()
                .map(line -> line.get("kind").asText() + " " + line.get("operation").asText()).toList();
    }

    /** The client id in the token ({@code azp}, else {@code client_id}), read here without Goldcrest's verifier. */
    private static String clientIdOf(String token) throws IOException {
        JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        JsonNode azp = claims.has("azp") ? claims.get("azp") : claims.get("client_id");
        assertThat(azp).as("client claim in %s", claims).isNotNull();
        return azp.asText();
    }

    private static void waitForTask(String taskId) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode task = v1.get("/v1/tasks?tasks=" + taskId, bob, null).json().get("tasks").get(taskId);
            if (task.get("status").asText().compareTo("200") >= 0) {
                assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("200");
                JOBS.add(task.at("/data/jobid").asText());
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("v1 task " + taskId + " did not finish in " + WAIT);
    }
}
