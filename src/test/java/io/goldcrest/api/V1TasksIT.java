package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.RootCommands;
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
 * v1's {@code /tasks} as a view of the Tasks service: a task created through v2 is read through v1
 * in v1's shape, only by its owner, and authentication failures come back in v1's shape too.
 */
class V1TasksIT {
    private static final String BASE = "/home/alice/v1-tasks-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static Goldcrest goldcrest;
    private static ApiClient client;

    @BeforeAll
    static void start() throws IOException {
        Path dataDir = Files.createTempDirectory("v1-tasks-it");
        goldcrest = Goldcrest.start(LocalServices.config(TransferApiIT.config(dataDir, "")), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        RootCommands.sh("mkdir -p \"$1\" && echo hello > \"$1/a\" && chown -R alice:alice \"$1\"", BASE);
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
        RootCommands.run("rm", "-rf", "--", BASE);
    }

    private static String token(String user) {
        return LocalServices.mockToken(user);
    }

    @Test
    void aTaskCreatedThroughV2IsReadThroughV1ByItsOwnerOnly() {
        ApiClient.Response created = client.sendJson("POST", "/filesystem/cluster/transfer/cp", token("alice"),
                Map.of("sourcePath", BASE + "/a", "targetPath", BASE + "/b"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("taskId").asText();
        String jobId = created.json().get("transferJob").get("jobId").asText();

        ApiClient.Response listed = client.get("/v1/tasks?tasks=" + id + ",no-such-task", token("alice"));
        assertThat(listed.status()).as(listed.text()).isEqualTo(200);
        JsonNode tasks = listed.json().get("tasks");
        assertThat(tasks.size()).isEqualTo(1);
        JsonNode task = tasks.get(id);
        assertThat(task.get("status").asText()).isEqualTo("200");
        assertThat(task.get("description").asText()).isEqualTo("Finished successfully");
        assertThat(task.get("service").asText()).isEqualTo("storage");
        assertThat(task.get("system").asText()).isEqualTo("cluster");
        assertThat(task.get("user").asText()).isEqualTo("alice");
        assertThat(task.get("hash_id").asText()).isEqualTo(id);
        assertThat(task.has("task_url")).isFalse();
        assertThat(task.get("data").get("result").asText()).isEqualTo("Job submitted");
        assertThat(task.get("data").get("jobid").asText()).isEqualTo(jobId);
        assertThat(task.get("data").get("job_file_err").asText()).startsWith("/home/alice/.f7t_file_handling_job_error_");

        ApiClient.Response one = client.get("/v1/tasks/" + id, token("alice"));
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("task").get("task_url").asText()).isEqualTo("/v1/tasks/" + id);
        assertThat(one.json().get("task").get("data").get("jobid").asText()).isEqualTo(jobId);
        assertThat(client.get("/v1/tasks", token("alice")).json().get("tasks").has(id)).isTrue();

        ApiClient.Response forbidden = client.get("/v1/tasks/" + id, token("bob"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json()).isEqualTo(ApiClientJson.of(Map.of("description", "Operation not permitted. Invalid task owner.")));
        assertThat(client.get("/v1/tasks?tasks=" + id, token("bob")).json().get("tasks").size()).isZero();
        assertThat(client.get("/v1/tasks", token("bob")).json().get("tasks").has(id)).isFalse();

        // The copy itself happened: v1 shows the submission, the job does the work.
        TransferApiIT.awaitTask(client, "alice", id);
        assertThat(RootCommands.sh("cat \"$1\"", BASE + "/b")).isEqualTo("hello\n");
    }

    @Test
    void unknownTasksAndMissingOrBadTokensAnswerInV1Shape() {
        ApiClient.Response unknown = client.get("/v1/tasks/0b6f3c1e-0000-4000-8000-000000000000", token("alice"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).isEqualTo(ApiClientJson.of(Map.of("error", "Task 0b6f3c1e-0000-4000-8000-000000000000 does not exist")));

        ApiClient.Response anonymous = client.get("/v1/tasks", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json()).isEqualTo(ApiClientJson.of(Map.of("description", "No Auth Header given")));
        ApiClient.Response forged = client.get("/v1/tasks", token("alice") + "x");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().get("description").asText()).isNotBlank();
        assertThat(forged.json().has("errorType")).isFalse();
    }
}
