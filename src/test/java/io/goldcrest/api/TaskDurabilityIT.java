package io.goldcrest.api;

import static io.goldcrest.RootCommands.run;
import static io.goldcrest.RootCommands.sh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tasks outlive the process that created them: the embedded store across a restart, and Redis across
 * instances. The transfer job is held for a few seconds (a {@code --begin} directive) so the instance
 * that created its task is gone before it runs; the task must still be completed.
 */
class TaskDurabilityIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/home/alice/durability-it-" + RUN;

    @BeforeAll
    static void prepare() {
        sh("mkdir -p \"$1\" && chown alice:alice \"$1\"", BASE);
    }

    @AfterAll
    static void cleanUp() {
        run("rm", "-rf", "--", BASE);
    }

    private static String heldConfig(Path state, String tasks) {
        return TransferApiIT.config(state, tasks).replace("datatransfer_jobs_directives: [\"#SBATCH --partition=xfer\"]",
                "datatransfer_jobs_directives: [\"#SBATCH --partition=xfer\", \"#SBATCH --begin=now+6\"]");
    }

    /** Submits a held mv of a fresh file; returns the response. */
    private static JsonNode heldMove(ApiClient api, String name) {
        sh("echo data > \"$1\" && chown alice:alice \"$1\"", BASE + "/" + name);
        ApiClient.Response response = api.sendJson("POST", "/filesystem/cluster/transfer/mv", LocalServices.mockToken("alice"),
                Map.of("sourcePath", BASE + "/" + name, "targetPath", BASE + "/" + name + ".moved"));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }

    @Test
    void aTaskSurvivesARestartAndIsCompletedByTheResumedWatcher() throws IOException {
        Path state = Files.createTempDirectory("durability-it");
        String yaml = heldConfig(state, "");
        JsonNode submitted;
        try (Goldcrest first = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC())) {
            submitted = heldMove(new ApiClient(first.port()), "restart.txt");
        }
        String taskId = submitted.get("taskId").asText();
        // The job runs while no Goldcrest is up.
        try (Goldcrest second = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC())) {
            ApiClient api = new ApiClient(second.port());
            JsonNode early = api.get("/tasks/" + taskId, LocalServices.mockToken("alice")).json();
            assertThat(early.get("state").asText()).isIn("queued", "running", "succeeded");
            JsonNode task = TransferApiIT.awaitTask(api, "alice", taskId);
            assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("succeeded");
            assertThat(task.get("jobId").asText()).isEqualTo(submitted.at("/transferJob/jobId").asText());
        }
        assertThat(sh("cat -- \"$1\"", BASE + "/restart.txt.moved")).isEqualTo("data\n");
    }

    @Test
    void twoInstancesOnOneRedisShareTasks() throws IOException {
        String tasks = "tasks: {store: redis, watch_interval: 1s}\n  redis: {url: \"" + LocalServices.redisUrl()
                + "\", key_prefix: \"durability-it-" + RUN + "\"}";
        String yamlA = heldConfig(Files.createTempDirectory("durability-a"), tasks);
        String yamlB = heldConfig(Files.createTempDirectory("durability-b"), tasks);
        try (Goldcrest b = Goldcrest.start(LocalServices.config(yamlB), Clock.systemUTC())) {
            ApiClient apiB = new ApiClient(b.port());
            JsonNode submitted;
            try (Goldcrest a = Goldcrest.start(LocalServices.config(yamlA), Clock.systemUTC())) {
                submitted = heldMove(new ApiClient(a.port()), "shared.txt");
                // B reads the task A created at once, from the shared store.
                ApiClient.Response seen = apiB.get("/tasks/" + submitted.get("taskId").asText(), LocalServices.mockToken("alice"));
                assertThat(seen.status()).as(seen.text()).isEqualTo(200);
                assertThat(seen.json().get("state").asText()).isEqualTo("queued");
                assertThat(apiB.get("/tasks", LocalServices.mockToken("alice")).json().get("tasks").findValuesAsText("id"))
                        .contains(submitted.get("taskId").asText());
                assertThat(apiB.get("/tasks/" + submitted.get("taskId").asText(), LocalServices.mockToken("bob")).status())
                        .isEqualTo(403);
            }
            // A is gone before the job may start: B's watcher takes the system over and completes the task.
            JsonNode task = TransferApiIT.awaitTask(apiB, "alice", submitted.get("taskId").asText());
            assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("succeeded");
        }
        assertThat(sh("cat -- \"$1\"", BASE + "/shared.txt.moved")).isEqualTo("data\n");
    }
}
