package io.goldcrest.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.tasks.Progress;
import io.goldcrest.tasks.Task;
import io.goldcrest.tasks.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the Tasks service's tasks look through v1: the status codes, their texts and the data clients read. */
class V1TasksTest {
    private static final Instant CREATED = Instant.parse("2026-11-22T10:15:30.123Z");
    private final V1Tasks tasks = new V1Tasks(null, "/v1");

    private static Task task(String service, String operation, TaskState state, Optional<String> jobId,
                             Map<String, Object> result, Optional<String> error, Optional<Progress> progress) {
        return new Task("0b6f3c1e-1111-4222-8333-944455566677", "alice", "cluster", service, operation, state, progress,
                result, error, jobId, CREATED, CREATED.plusSeconds(4), CREATED.plusSeconds(3600), Map.of("errorLog", "/x"));
    }

    @Test
    void anOperationIsQueuedThenDoneWithItsDataOrFailedWithItsError() {
        Task queued = task("compute", "jobs", TaskState.QUEUED, Optional.empty(), Map.of(), Optional.empty(), Optional.empty());
        assertThat(tasks.view(queued, false)).containsEntry("status", "100").containsEntry("description", "Queued")
                .containsEntry("data", "Queued").containsEntry("service", "compute").doesNotContainKey("task_url");

        Task done = task("compute", "jobs", TaskState.SUCCEEDED, Optional.empty(), Map.of("data", Map.of("0", Map.of("jobid", "7"))),
                Optional.empty(), Optional.empty());
        Map<String, Object> view = tasks.view(done, true);
        assertThat(view).containsEntry("status", "200").containsEntry("description", "Finished successfully")
                .containsEntry("data", Map.of("0", Map.of("jobid", "7")))
                .containsEntry("task_id", done.id()).containsEntry("hash_id", done.id()).containsEntry("user", "alice")
                .containsEntry("system", "cluster")
                .containsEntry("created_at", "2026-11-22T10:15:30").containsEntry("updated_at", "2026-11-22T10:15:34")
                .containsEntry("last_modify", "2026-11-22T10:15:34").containsEntry("task_url", "/v1/tasks/" + done.id());

        Task failed = task("compute", "cancel", TaskState.FAILED, Optional.empty(), Map.of(),
                Optional.of("User does not have permission to cancel job"), Optional.empty());
        assertThat(tasks.view(failed, false)).containsEntry("status", "400").containsEntry("description", "Finished with errors")
                .containsEntry("data", "User does not have permission to cancel job");
    }

    @Test
    void anInternalTransferIsDoneOnceItsJobIsSubmittedWithTheSubmissionData() {
        Map<String, Object> result = Map.of("transferJob", Map.of("jobId", "42", "system", "cluster",
                "logs", Map.of("outputLog", "/home/alice/out.log", "errorLog", "/home/alice/err.log")));
        for (TaskState state : List.of(TaskState.QUEUED, TaskState.RUNNING, TaskState.SUCCEEDED, TaskState.FAILED)) {
            Map<String, Object> view = tasks.view(task("transfer", "mv", state, Optional.of("42"), result, Optional.empty(), Optional.empty()), false);
            assertThat(view).as(state.word()).containsEntry("status", "200").containsEntry("service", "storage");
            assertThat(view.get("data")).as(state.word()).isEqualTo(V1Tasks.submission("42", "/home/alice/out.log", "/home/alice/err.log", ""));
        }
    }

    @Test
    void anExternalUploadShowsItsUrlAndCommandUntilTheObjectArrivesThenEndsAt114Or115() {
        Map<String, Object> result = Map.of("targetPath", "/home/alice/in", "clientPath", "/tmp/it's here.bin",
                "uploadUrl", "http://127.0.0.1:9000/alice/k?X-Amz-Signature=abc&X-Amz-Expires=60");
        Task waiting = task("transfer", "upload", TaskState.QUEUED, Optional.of("9"), result, Optional.empty(), Optional.empty());
        Map<String, Object> view = tasks.view(waiting, false);
        assertThat(view).containsEntry("status", "111").containsEntry("description", "Form URL from Object Storage received");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) view.get("data");
        assertThat(data).containsEntry("target", "/home/alice/in").containsEntry("source", "/tmp/it's here.bin")
                .containsEntry("status", "111").containsEntry("system_name", "cluster");
        @SuppressWarnings("unchecked")
        Map<String, Object> msg = (Map<String, Object>) data.get("msg");
        @SuppressWarnings("unchecked")
        Map<String, Object> parameters = (Map<String, Object>) msg.get("parameters");
        assertThat(parameters).containsEntry("method", "PUT").containsEntry("url", result.get("uploadUrl"))
                .containsEntry("files", "/tmp/it's here.bin");
        // pyfirecrest runs shlex.split(command): the words must come back exactly.
        assertThat(posixSplit((String) msg.get("command"))).containsExactly("curl", "-f", "--show-error", "-s", "-i", "-X", "PUT",
                "--upload-file", "/tmp/it's here.bin", (String) result.get("uploadUrl"));

        Task arriving = waiting.withProgress(Optional.of(new Progress(10, Optional.empty(), "bytes")), CREATED);
        assertThat(tasks.view(arriving, false)).containsEntry("status", "113");
        Task done = arriving.moved(TaskState.SUCCEEDED, Optional.empty(), CREATED);
        assertThat(tasks.view(done, false)).containsEntry("status", "114");
        assertThat(((Map<?, ?>) tasks.view(done, false).get("data")).get("msg")).isInstanceOf(String.class);
        assertThat(tasks.view(arriving.moved(TaskState.EXPIRED, Optional.of("expired"), CREATED), false)).containsEntry("status", "115");
        assertThat(tasks.view(arriving.moved(TaskState.FAILED, Optional.of("no"), CREATED), false)).containsEntry("status", "115");
    }

    @Test
    void anExternalDownloadGivesItsUrlOnlyAt117() {
        Map<String, Object> result = Map.of("sourcePath", "/home/alice/big", "downloadUrl", "http://127.0.0.1:9000/alice/big?sig");
        Task running = task("transfer", "download", TaskState.RUNNING, Optional.of("9"), result, Optional.empty(), Optional.empty());
        assertThat(tasks.view(running, false)).containsEntry("status", "116");
        assertThat(dataOf(tasks.view(running, false))).doesNotContainKey("url");
        Map<String, Object> done = tasks.view(running.moved(TaskState.SUCCEEDED, Optional.empty(), CREATED), false);
        assertThat(done).containsEntry("status", "117")
                .containsEntry("description", "Upload from filesystem to Object Storage has finished succesfully");
        assertThat(dataOf(done)).containsEntry("url", "http://127.0.0.1:9000/alice/big?sig")
                .containsEntry("source", "/home/alice/big").containsEntry("system_name", "cluster");
        Map<String, Object> failed = tasks.view(running.moved(TaskState.FAILED, Optional.of("Job 9 ended FAILED"), CREATED), false);
        assertThat(failed).containsEntry("status", "118");
        assertThat(dataOf(failed)).containsEntry("error", "Job 9 ended FAILED").doesNotContainKey("url");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dataOf(Map<String, Object> view) {
        return (Map<String, Object>) view.get("data");
    }

    /** POSIX shell word splitting of quotes and backslashes, as Python's shlex.split does it. */
    private static List<String> posixSplit(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                word = word == null ? new StringBuilder() : word;
                word.append(line, i + 1, end);
                i = end;
            } else if (c == '\\') {
                word = word == null ? new StringBuilder() : word;
                word.append(line.charAt(++i));
            } else if (c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
