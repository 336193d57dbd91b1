package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.RootCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FirecREST v1's {@code /compute} endpoints end to end, as pyfirecrest calls them (forms, multipart,
 * {@code X-Machine-Name}, tasks polled with {@code GET /tasks?tasks=<id>}), as alice and bob against
 * the local Slurm. What the tasks report is checked against what happened: the script and output
 * files on disk and Slurm's own view, both read as root. Every job this class submits is cancelled.
 */
class V1ComputeIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/home/alice/v1-compute-it-" + RUN;
    private static final String MACHINE = "cluster";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static Goldcrest goldcrest;
    private static V1FormClient v1;
    private static ApiClient v2;
    private static final Map<String, Token> TOKENS = new ConcurrentHashMap<>();
    private static final Set<String> SUBMITTED = ConcurrentHashMap.newKeySet();
    /** The directories v1 uploads made under /home/<user>/firecrest, removed at the end. */
    private static final Set<String> JOB_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private record Token(String value, Instant fetched) {}

    @BeforeAll
    static void start() {
        goldcrest = Goldcrest.start(LocalServices.config(LocalServices.devConfigYaml()), Clock.systemUTC());
        v1 = new V1FormClient(goldcrest.port());
        v2 = new ApiClient(goldcrest.port());
        RootCommands.sh("mkdir -p \"$1\" && chown alice:alice \"$1\"", BASE);
    }

    /** The node has 8 CPUs: jobs left running would keep later tests' jobs pending. */
    @AfterEach
    void cancelThisTestsJobs() {
        if (SUBMITTED.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "scancel \"$@\" 2>/dev/null; true", "scancel"));
        argv.addAll(SUBMITTED);
        SUBMITTED.clear();
        RootCommands.slurm(argv.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
        RootCommands.run("rm", "-rf", "--", BASE);
        for (String directory : JOB_DIRECTORIES) {
            RootCommands.run("rm", "-rf", "--", directory);
        }
        // The users' firecrest directories the uploads made, unless something else is in them now.
        RootCommands.sh("for d in /home/alice/firecrest /home/bob/firecrest; do [ -d \"$d\" ] && rmdir --ignore-fail-on-non-empty \"$d\"; done; true");
    }

    // ================================================================ submission

    @Test
    void anUploadedScriptIsWrittenForTheUserAndRunsWithTheEnvironmentAndAccount() {
        String script = "#!/bin/bash\n#SBATCH --output=" + BASE + "/upload-%j.out\necho \"A=[$A] B=[$B] C=[$C]\"\n";
        JsonNode created = created(v1.multipart("/v1/compute/jobs/upload", token("alice"), MACHINE,
                Map.of("account", "proj2", "env", "{\"A\": \"x,y\", \"B\": \"it's $HOME\", \"C\": 3}"),
                "my job.sh", script.getBytes(StandardCharsets.UTF_8)), 201);
        String taskId = created.get("task_id").asText();
        assertThat(created.get("success").asText()).isEqualTo("Task created");
        assertThat(created.get("task_url").asText()).isEqualTo("/v1/tasks/" + taskId);

        JsonNode task = finished("alice", taskId);
        assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("200");
        assertThat(task.get("description").asText()).isEqualTo("Finished successfully");
        assertThat(task.get("service").asText()).isEqualTo("compute");
        assertThat(task.get("system").asText()).isEqualTo(MACHINE);
        assertThat(task.get("user").asText()).isEqualTo("alice");
        JsonNode data = task.get("data");
        String jobId = submitted(data);
        assertThat(data.get("result").asText()).isEqualTo("Job submitted");
        String jobFile = data.get("job_file").asText();
        assertThat(jobFile).matches("/home/alice/firecrest/[0-9a-f]{32}/my_job\\.sh");
        JOB_DIRECTORIES.add(Path.of(jobFile).getParent().toString());
        assertThat(read(jobFile)).isEqualTo(script);
        assertThat(RootCommands.sh("stat -c %U \"$1\"", jobFile).strip()).isEqualTo("alice");
        assertThat(data.get("job_file_out").asText()).isEqualTo(BASE + "/upload-" + jobId + ".out");
        assertThat(data.get("job_file_err").asText()).isEqualTo(BASE + "/upload-" + jobId + ".out");
        assertThat(data.get("job_info_extra").asText()).isEqualTo("Job info returned successfully");

        // slurmdbd records a job's details a moment after its state: wait for all of them.
        waitFor(() -> accounting(jobId, "State,Account,WorkDir").equals("COMPLETED|proj2|" + Path.of(jobFile).getParent()));
        assertThat(read(BASE + "/upload-" + jobId + ".out")).isEqualTo("A=[x,y] B=[it's $HOME] C=[3]\n");
    }

    @Test
    void aScriptOnTheClusterRunsInItsOwnDirectory() {
        String directory = BASE + "/by path";
        RootCommands.sh("mkdir -p \"$1\" && printf '#!/bin/sh\\necho \"in $(pwd) with $GREETING\"\\n' > \"$1/run it.sh\" "
                + "&& chown -R alice:alice \"$1\"", directory);
        String path = directory + "/run it.sh";

        JsonNode created = created(v1.form("POST", "/v1/compute/jobs/path", token("alice"), MACHINE,
                Map.of("targetPath", path, "env", "{\"GREETING\": \"hello\"}")), 201);

        JsonNode data = finished("alice", created.get("task_id").asText()).get("data");
        String jobId = submitted(data);
        assertThat(data.get("job_file").asText()).isEqualTo(path);
        assertThat(data.get("job_file_out").asText()).isEqualTo(directory + "/slurm-" + jobId + ".out");
        waitFor(() -> accounting(jobId, "State").equals("COMPLETED"));
        assertThat(read(directory + "/slurm-" + jobId + ".out")).isEqualTo("in " + directory + " with hello\n");
    }

    @Test
    void submissionsAreCheckedBeforeATaskIsMade() {
        ApiClient.Response missing = v1.form("POST", "/v1/compute/jobs/path", token("alice"), MACHINE,
                Map.of("targetPath", BASE + "/nosuch.sh"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.header("X-Invalid-Path")).isNotNull();
        assertThat(missing.json().get("description").asText()).isEqualTo("Failed to submit job");
        assertThat(missing.json().get("error").asText()).contains("No such file or directory");

        RootCommands.sh("printf '#!/bin/sh\\ntrue\\n' > \"$1\" && chown alice:alice \"$1\" && chmod 600 \"$1\"", BASE + "/private.sh");
        ApiClient.Response notBobs = v1.form("POST", "/v1/compute/jobs/path", token("bob"), MACHINE,
                Map.of("targetPath", BASE + "/private.sh"));
        assertThat(notBobs.status()).isEqualTo(400);
        assertThat(notBobs.header("X-Permission-Denied")).isNotNull();

        assertV1Error(v1.form("POST", "/v1/compute/jobs/path", token("alice"), MACHINE, Map.of()), 400,
                "Failed to submit job", "'targetPath' not specified");
        assertV1Error(v1.multipart("/v1/compute/jobs/upload", token("alice"), MACHINE, Map.of("account", "proj1"), null, null), 400,
                "Failed to submit job file", "No batch file part");
        assertV1Error(v1.multipart("/v1/compute/jobs/upload", token("alice"), MACHINE, Map.of(), "", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)),
                400, "Failed to submit job file", "No batch file selected");
        assertV1Error(v1.multipart("/v1/compute/jobs/upload", token("alice"), MACHINE, Map.of(), "empty.sh", new byte[0]),
                400, "Failed to submit job file", "The batch file is empty");
        ApiClient.Response badJson = v1.multipart("/v1/compute/jobs/upload", token("alice"), MACHINE,
                Map.of("env", "{\"A\": 1"), "x.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
        assertThat(badJson.status()).as(badJson.text()).isEqualTo(400);
        assertThat(badJson.json().get("description").asText()).isEqualTo("Failed to submit job");
        assertThat(badJson.json().get("error").asText()).startsWith("Invalid JSON in 'env' variable (");
        assertV1Error(v1.form("POST", "/v1/compute/jobs/path", token("alice"), MACHINE,
                Map.of("targetPath", BASE + "/private.sh", "env", "{\"NOT-A-NAME\": \"x\"}")), 400, "Failed to submit job",
                "env: 'NOT-A-NAME' is not a valid variable name");
        ApiClient.Response tooLarge = v1.multipart("/v1/compute/jobs/upload", token("alice"), MACHINE, Map.of(), "big.sh",
                new byte[5 * 1024 * 1024 + 1]);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("description").asText()).isEqualTo("Failed to upload file. The file is over 5242880 bytes");
    }

    @Test
    void whatSlurmRefusesIsTheTasksError() {
        String fileName = "refused-" + RUN + ".batch";
        JsonNode created = created(v1.multipart("/v1/compute/jobs/upload", token("bob"), MACHINE, Map.of("account", "proj2"),
                fileName, "#!/bin/sh\ntrue\n".getBytes(StandardCharsets.UTF_8)), 201);

        JsonNode task = finished("bob", created.get("task_id").asText());
        // The script was written before Slurm refused it.
        String script = RootCommands.sh("find /home/bob/firecrest -name \"$1\"", fileName).strip();
        assertThat(script).matches("/home/bob/firecrest/[0-9a-f]{32}/" + Pattern.quote(fileName));
        JOB_DIRECTORIES.add(Path.of(script).getParent().toString());

        assertThat(task.get("status").asText()).isEqualTo("400");
        assertThat(task.get("description").asText()).isEqualTo("Finished with errors");
        assertThat(task.get("data").asText())
                .isEqualTo("Job submission rejected: Invalid account or account/partition combination specified");
    }

    @Test
    void theMachineHeaderIsRequiredAndChecked() {
        for (String path : List.of("/v1/compute/jobs", "/v1/compute/acct", "/v1/compute/nodes", "/v1/compute/partitions",
                "/v1/compute/reservations", "/v1/compute/jobs/12")) {
            ApiClient.Response missing = v1.get(path, token("alice"), null);
            assertThat(missing.status()).as(path).isEqualTo(400);
            assertThat(missing.json().get("description").asText()).isEqualTo("No machine name given");
            ApiClient.Response unknown = v1.get(path, token("alice"), "nosuch");
            assertThat(unknown.status()).as(path).isEqualTo(400);
            assertThat(unknown.header("X-Machine-Does-Not-Exists")).isEqualTo("Machine does not exists");
            assertThat(unknown.header("X-Machine-Does-Not-Exist")).isEqualTo("Machine does not exist");
        }
        assertThat(v1.form("DELETE", "/v1/compute/jobs/12", token("alice"), null, Map.of()).status()).isEqualTo(400);
        assertThat(v1.form("POST", "/v1/compute/jobs/path", token("alice"), null, Map.of("targetPath", "/x")).status()).isEqualTo(400);
        assertThat(v1.get("/v1/compute/jobs", null, MACHINE).status()).isEqualTo(401);
    }

    // ================================================================ queued jobs

    @Test
    void theQueueShowsAJobWithItsFilesAndTheEndOfItsOutput() {
        String jobId = upload("alice", "#!/bin/bash\n#SBATCH --job-name=v1-queue-" + RUN + "\n#SBATCH --output=" + BASE
                + "/queue-%j.out\necho hello from the job\necho oops >&2\nsleep 120\n");
        waitFor(() -> read(BASE + "/queue-" + jobId + ".out").contains("oops"));

        JsonNode data = taskData("alice", "/v1/compute/jobs?jobs=" + jobId);

        assertThat(data.size()).isEqualTo(1);
        JsonNode job = data.get("0");
        assertThat(job.get("jobid").asText()).isEqualTo(jobId);
        assertThat(job.get("name").asText()).isEqualTo("v1-queue-" + RUN);
        assertThat(job.get("user").asText()).isEqualTo("alice");
        assertThat(job.get("partition").asText()).isEqualTo("normal");
        assertThat(job.get("state").asText()).isEqualTo("RUNNING");
        assertThat(job.get("nodes").asText()).isEqualTo("1");
        assertThat(job.get("nodelist").asText()).isEqualTo("localhost");
        // The start time is in start_time (FirecREST v1 had the two swapped), as squeue prints it (the cluster runs in UTC).
        assertThat(job.get("start_time").asText()).isEqualTo(squeue(jobId, "%S"));
        // squeue's forms: M:SS or H:MM:SS (the limit is the partition's default hour).
        assertThat(job.get("time").asText()).matches("\\d+:\\d{2}");
        assertThat(job.get("time_left").asText()).matches("(1:00:00|[0-5]?\\d:\\d{2})");
        assertThat(job.get("job_file_out").asText()).isEqualTo(BASE + "/queue-" + jobId + ".out");
        assertThat(job.get("job_file_err").asText()).isEqualTo(BASE + "/queue-" + jobId + ".out");
        assertThat(job.get("job_file").asText()).startsWith("/home/alice/firecrest/").endsWith("/script.batch");
        assertThat(job.get("job_data_out").asText()).isEqualTo("hello from the job\noops\n");
        assertThat(job.get("job_data_err").asText()).isEqualTo("hello from the job\noops\n");
        assertThat(fieldNames(job)).containsExactly("jobid", "partition", "name", "user", "state", "start_time", "time",
                "time_left", "nodes", "nodelist", "job_file_out", "job_file_err", "job_file", "job_data_out", "job_data_err",
                "job_info_extra");

        // Without a filter: every one of alice's queued jobs, this one among them.
        JsonNode all = taskData("alice", "/v1/compute/jobs");
        assertThat(values(all)).anyMatch(entry -> entry.get("jobid").asText().equals(jobId));
        assertThat(values(all)).allMatch(entry -> entry.get("user").asText().equals("alice"));
    }

    @Test
    void aPendingJobHasNoStartNodesNorOutput() {
        String jobId = upload("alice", "#!/bin/bash\n#SBATCH --hold\n#SBATCH --output=/dev/null\ntrue\n");

        JsonNode job = taskData("alice", "/v1/compute/jobs?jobs=" + jobId).get("0");

        assertThat(job.get("state").asText()).isEqualTo("PENDING");
        assertThat(job.get("nodelist").asText()).isEqualTo("(JobHeldUser)");
        assertThat(job.get("start_time").asText()).isEqualTo("N/A");
        assertThat(job.get("time").asText()).isEqualTo("0:00");
        assertThat(job.get("job_file_out").asText()).isEqualTo("/dev/null");
        assertThat(job.get("job_data_out").asText()).isEmpty();
    }

    @Test
    void otherUsersJobsOnlyWithUserJobsFalseAndWithoutFiles() {
        String jobId = upload("alice", "#!/bin/bash\n#SBATCH --output=/dev/null\nsleep 120\n");

        assertThat(values(taskData("bob", "/v1/compute/jobs"))).noneMatch(job -> job.get("jobid").asText().equals(jobId));
        assertThat(taskData("bob", "/v1/compute/jobs?jobs=" + jobId).size()).isZero();
        JsonNode everyone = taskData("bob", "/v1/compute/jobs?userJobs=false&jobs=" + jobId);
        assertThat(everyone.size()).isEqualTo(1);
        assertThat(everyone.get("0").get("user").asText()).isEqualTo("alice");
        assertThat(everyone.get("0").get("job_file").asText()).isEmpty();
        assertThat(everyone.get("0").get("job_file_out").asText()).isEmpty();
    }

    @Test
    void pagesCountFromZeroAndAPagePastTheEndIsTheTasksError() {
        String first = upload("alice", "#!/bin/bash\n#SBATCH --hold\n#SBATCH --output=/dev/null\ntrue\n");
        String second = upload("alice", "#!/bin/bash\n#SBATCH --hold\n#SBATCH --output=/dev/null\ntrue\n");
        String jobs = first + "," + second;

        JsonNode page0 = taskData("alice", "/v1/compute/jobs?pageSize=1&pageNumber=0&jobs=" + jobs);
        JsonNode page1 = taskData("alice", "/v1/compute/jobs?pageSize=1&pageNumber=1&jobs=" + jobs);
        assertThat(page0.size()).isEqualTo(1);
        assertThat(page1.size()).isEqualTo(1);
        assertThat(List.of(page0.get("0").get("jobid").asText(), page1.get("0").get("jobid").asText()))
                .containsExactlyInAnyOrder(first, second);

        JsonNode past = finished("alice", created(v1.get("/v1/compute/jobs?pageSize=1&pageNumber=2&jobs=" + jobs,
                token("alice"), MACHINE), 200).get("task_id").asText());
        assertThat(past.get("status").asText()).isEqualTo("400");
        assertThat(past.get("data").asText()).isEqualTo("pageNumber (2) is greater than total pages (2)");

        assertV1Error(v1.get("/v1/compute/jobs?jobs=12,abc", token("alice"), MACHINE), 400,
                "Failed to retrieve jobs information", "Jobs list wrong format ('abc' is not a job id)");
        assertV1Error(v1.get("/v1/compute/jobs?pageSize=x", token("alice"), MACHINE), 400,
                "Failed to retrieve jobs information", "'pageSize' must be an integer of at least 1 (value entered: 'x')");
    }

    @Test
    void oneJobByItsIdFinishesItsTaskAndAnEndedJobIsNotQueued() {
        String running = upload("alice", "#!/bin/bash\n#SBATCH --output=/dev/null\nsleep 120\n");
        String ended = upload("alice", "#!/bin/bash\n#SBATCH --output=/dev/null\ntrue\n");
        waitFor(() -> accounting(ended, "State").equals("COMPLETED"));

        JsonNode job = taskData("alice", "/v1/compute/jobs/" + running);
        assertThat(job.size()).isEqualTo(1);
        assertThat(job.get("0").get("jobid").asText()).isEqualTo(running);
        assertThat(taskData("alice", "/v1/compute/jobs/" + ended).size()).isZero();
        assertThat(taskData("alice", "/v1/compute/jobs?jobs=" + ended).size()).isZero();
        assertV1Error(v1.get("/v1/compute/jobs/12x", token("alice"), MACHINE), 400,
                "Failed to retrieve job information", "Invalid job id '12x'");
    }

    // ================================================================ cancel

    @Test
    void bobCannotCancelAlicesJobAliceCan() {
        String jobId = upload("alice", "#!/bin/bash\n#SBATCH --output=/dev/null\nsleep 120\n");
        waitFor(() -> squeue(jobId, "%T").equals("RUNNING"));

        JsonNode refused = finished("bob", created(v1.form("DELETE", "/v1/compute/jobs/" + jobId, token("bob"), MACHINE, Map.of()),
                200).get("task_id").asText());
        assertThat(refused.get("status").asText()).isEqualTo("400");
        assertThat(refused.get("data").asText()).isEqualTo("User does not have permission to cancel job");
        assertThat(squeue(jobId, "%T")).isEqualTo("RUNNING");

        JsonNode cancelled = finished("alice", created(v1.form("DELETE", "/v1/compute/jobs/" + jobId, token("alice"), MACHINE,
                Map.of()), 200).get("task_id").asText());
        assertThat(cancelled.get("status").asText()).isEqualTo("200");
        assertThat(cancelled.get("data").asText()).isEqualTo("scancel: Terminating job " + jobId);
        waitFor(() -> accounting(jobId, "State").startsWith("CANCELLED"));

        JsonNode again = finished("alice", created(v1.form("DELETE", "/v1/compute/jobs/" + jobId, token("alice"), MACHINE,
                Map.of()), 200).get("task_id").asText());
        assertThat(again.get("status").asText()).isEqualTo("400");
        assertThat(again.get("data").asText()).isEqualTo("Kill job error on job id " + jobId + ": Job/step already completing or completed");
    }

    @Test
    void bobCannotReadAlicesTask() {
        String taskId = created(v1.get("/v1/compute/partitions", token("alice"), MACHINE), 200).get("task_id").asText();
        finished("alice", taskId);

        ApiClient.Response forbidden = v1.get("/v1/tasks/" + taskId, token("bob"), null);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("description").asText()).isEqualTo("Operation not permitted. Invalid task owner.");
        assertThat(v1.get("/v1/tasks?tasks=" + taskId, token("bob"), null).json().get("tasks").size()).isZero();
        assertThat(v1.get("/v1/tasks/" + taskId, token("alice"), null).json().get("task").get("task_url").asText())
                .isEqualTo("/v1/tasks/" + taskId);
    }

    // ================================================================ accounting

    @Test
    void accountingShowsEndedJobsAsSacctRecordsThem() {
        String jobId = upload("alice", "#!/bin/bash\n#SBATCH --output=/dev/null\nsleep 1\nexit 3\n");
        // slurmdbd records a job's details a moment after its state (the name reads "allocation" until then).
        waitFor(() -> accounting(jobId, "State,JobName").equals("FAILED|script.batch"));

        JsonNode data = taskData("alice", "/v1/compute/acct?jobs=" + jobId);

        assertThat(data.isArray()).isTrue();
        assertThat(data.size()).isEqualTo(1);
        JsonNode job = data.get(0);
        assertThat(job.get("jobid").asText()).isEqualTo(jobId);
        assertThat(job.get("name").asText()).isEqualTo("script.batch");
        assertThat(job.get("user").asText()).isEqualTo("alice");
        assertThat(job.get("partition").asText()).isEqualTo("normal");
        assertThat(job.get("state").asText()).isEqualTo("FAILED");
        assertThat(job.get("exit_code").asText()).isEqualTo("3:0");
        assertThat(job.get("nodes").asText()).isEqualTo("1");
        assertThat(job.get("nodelist").asText()).isEqualTo("localhost");
        // sacct's own words, read as root (the cluster runs in UTC).
        assertThat(String.join("|", job.get("start_time").asText(), job.get("termination_time").asText(),
                job.get("elapsed_time").asText(), job.get("time").asText()))
                .isEqualTo(accounting(jobId, "Start,End,Elapsed,CPUTime"));
        assertThat(job.get("cpu_time").asText()).isEqualTo(job.get("time").asText());
        assertThat(job.get("time_left").asText()).isEqualTo(job.get("termination_time").asText());

        JsonNode window = taskData("alice", "/v1/compute/acct?starttime=now-1hours&endtime=now");
        assertThat(values(window)).anyMatch(entry -> entry.get("jobid").asText().equals(jobId));
        // An invalid time is ignored, as in FirecREST v1.
        assertThat(values(taskData("alice", "/v1/compute/acct?starttime=sometime&jobs=" + jobId))).hasSize(1);
        // Nothing: {} rather than [].
        JsonNode none = taskData("alice", "/v1/compute/acct?starttime=2001-01-01&endtime=2001-01-02");
        assertThat(none.isObject()).isTrue();
        assertThat(none.size()).isZero();
    }

    // ================================================================ nodes, partitions, reservations

    @Test
    void nodesAreShownInScontrolsShape() {
        JsonNode nodes = taskData("alice", "/v1/compute/nodes");
        assertThat(nodes.isArray()).isTrue();
        JsonNode node = values(nodes).stream().filter(entry -> entry.get("NodeName").asText().equals("localhost")).findFirst().orElseThrow();
        assertThat(fieldNames(node)).containsExactly("NodeName", "ActiveFeatures", "Partitions", "State");
        assertThat(values(node.get("Partitions")).stream().map(JsonNode::asText)).containsExactly("normal", "xfer");
        assertThat(node.get("ActiveFeatures").size()).isZero();
        // Jobs of other tests come and go on the one node: it may be finishing one (COMPLETING) just now.
        assertThat(node.get("State").get(0).asText()).isIn("IDLE", "MIXED", "ALLOCATED", "COMPLETING");
        assertThat(values(node.get("State")).stream().map(JsonNode::asText)).doesNotContain("DOWN", "DRAIN", "NOT_RESPONDING");

        assertThat(taskData("alice", "/v1/compute/nodes/localhost").size()).isEqualTo(1);
        assertThat(taskData("alice", "/v1/compute/nodes?nodes=localhost").size()).isEqualTo(1);
        JsonNode unknown = finished("alice", created(v1.get("/v1/compute/nodes?nodes=localhost,nosuch", token("alice"), MACHINE), 200)
                .get("task_id").asText());
        assertThat(unknown.get("status").asText()).isEqualTo("400");
        assertThat(unknown.get("data").asText()).isEqualTo("Node nosuch not found");
    }

    @Test
    void partitionsAreShownInScontrolsShape() {
        List<JsonNode> partitions = values(taskData("alice", "/v1/compute/partitions"));
        assertThat(partitions).extracting(partition -> partition.get("PartitionName").asText()).containsExactly("normal", "xfer");
        JsonNode normal = partitions.get(0);
        assertThat(fieldNames(normal)).containsExactly("PartitionName", "State", "TotalCPUs", "TotalNodes", "Default");
        assertThat(normal.get("State").asText()).isEqualTo("UP");
        assertThat(normal.get("TotalCPUs").asText()).isEqualTo("8");
        assertThat(normal.get("TotalNodes").asText()).isEqualTo("1");
        assertThat(normal.get("Default").asText()).isEqualTo("YES");
        assertThat(partitions.get(1).get("Default").asText()).isEqualTo("NO");

        assertThat(values(taskData("alice", "/v1/compute/partitions?partitions=xfer")))
                .extracting(partition -> partition.get("PartitionName").asText()).containsExactly("xfer");
    }

    @Test
    void reservationsAreShownInScontrolsShape() {
        String name = "v1it_" + RUN;
        RootCommands.slurm("scontrol", "create", "reservation", "reservationname=" + name, "starttime=now+2days", "duration=60",
                "nodes=localhost", "users=alice", "flags=maint");
        try {
            JsonNode reservation = values(taskData("alice", "/v1/compute/reservations?reservations=" + name)).get(0);
            assertThat(fieldNames(reservation)).containsExactly("ReservationName", "State", "Nodes", "StartTime", "EndTime", "Features");
            assertThat(reservation.get("ReservationName").asText()).isEqualTo(name);
            assertThat(reservation.get("State").asText()).isEqualTo("INACTIVE");
            assertThat(reservation.get("Nodes").asText()).isEqualTo("localhost");
            assertThat(reservation.get("Features").size()).isZero();
            String scontrol = new String(RootCommands.slurm("scontrol", "-o", "show", "reservation", name), StandardCharsets.UTF_8);
            assertThat(scontrol).contains("StartTime=" + reservation.get("StartTime").asText() + " ")
                    .contains("EndTime=" + reservation.get("EndTime").asText() + " ");

            assertThat(taskData("alice", "/v1/compute/reservations?reservations=other").size()).isZero();
        } finally {
            RootCommands.slurm("scontrol", "delete", "reservationname=" + name);
        }
    }

    // ================================================================ v1 and v2 side by side

    @Test
    void aJobSubmittedThroughV1IsSeenThroughV2AndTheOtherWayRound() {
        String fromV1 = upload("alice", "#!/bin/bash\n#SBATCH --output=/dev/null\nsleep 120\n");
        JsonNode seenByV2 = v2.get("/compute/cluster/jobs/" + fromV1, token("alice")).json().get("jobs").get(0);
        assertThat(seenByV2.get("jobId").asText()).isEqualTo(fromV1);
        assertThat(seenByV2.get("user").asText()).isEqualTo("alice");

        Map<String, Object> job = new LinkedHashMap<>();
        job.put("working_directory", BASE);
        job.put("script", "#!/bin/bash\nsleep 120\n");
        job.put("standardOutput", "/dev/null");
        job.put("name", "from-v2-" + RUN);
        ApiClient.Response submitted = v2.sendJson("POST", "/compute/cluster/jobs", token("alice"), Map.of("job", job));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(201);
        String fromV2 = submitted.json().get("jobId").asText();
        SUBMITTED.add(fromV2);

        JsonNode seenByV1 = taskData("alice", "/v1/compute/jobs?jobs=" + fromV2).get("0");
        assertThat(seenByV1.get("jobid").asText()).isEqualTo(fromV2);
        assertThat(seenByV1.get("name").asText()).isEqualTo("from-v2-" + RUN);
        assertThat(seenByV1.get("job_file_out").asText()).isEqualTo("/dev/null");
        // A script sent on standard input has no file.
        assertThat(seenByV1.get("job_file").asText()).isEmpty();
    }

    // ================================================================ helpers

    /** Uploads a script as pyfirecrest's submit() does and returns the job id once the task has it. */
    private static String upload(String user, String script) {
        JsonNode created = created(v1.multipart("/v1/compute/jobs/upload", token(user), MACHINE, Map.of(), "script.batch",
                script.getBytes(StandardCharsets.UTF_8)), 201);
        JsonNode task = finished(user, created.get("task_id").asText());
        assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("200");
        String jobFile = task.get("data").get("job_file").asText();
        JOB_DIRECTORIES.add(Path.of(jobFile).getParent().toString());
        return submitted(task.get("data"));
    }

    private static String submitted(JsonNode data) {
        String jobId = data.get("jobid").asText();
        assertThat(jobId).matches("\\d+");
        SUBMITTED.add(jobId);
        return jobId;
    }

    /** GET the v1 endpoint, wait for its task and return the task's data (which must have succeeded). */
    private static JsonNode taskData(String user, String path) {
        JsonNode created = created(v1.get(path, token(user), MACHINE), 200);
        JsonNode task = finished(user, created.get("task_id").asText());
        assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("200");
        return task.get("data");
    }

    private static JsonNode created(ApiClient.Response response, int status) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(status);
        assertThat(response.json().get("success").asText()).isEqualTo("Task created");
        return response.json();
    }

    /** Polls {@code GET /v1/tasks?tasks=<id>} as pyfirecrest does until the status is 200 or more (as strings). */
    private static JsonNode finished(String user, String taskId) {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode task = null;
        while (Instant.now().isBefore(deadline)) {
            ApiClient.Response response = v1.get("/v1/tasks?tasks=" + taskId, token(user), null);
            assertThat(response.status()).isEqualTo(200);
            task = response.json().get("tasks").get(taskId);
            assertThat(task).as("task %s of %s", taskId, user).isNotNull();
            if (task.get("status").asText().compareTo("200") >= 0) {
                return task;
            }
            sleep(200);
        }
        throw new AssertionError("task " + taskId + " did not finish in " + WAIT + "; last seen " + task);
    }

    private static void assertV1Error(ApiClient.Response response, int status, String description, String error) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(status);
        assertThat(response.json().get("description").asText()).isEqualTo(description);
        assertThat(response.json().get("error").asText()).isEqualTo(error);
    }

    private static List<JsonNode> values(JsonNode node) {
        return StreamSupport.stream(node.spliterator(), false).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Slurm's accounting of the job, read as root: the fields joined by {@code |}. */
    private static String accounting(String jobId, String fields) {
        return new String(RootCommands.slurm("sacct", "-X", "-n", "-P", "-j", jobId, "--format=" + fields), StandardCharsets.UTF_8).strip();
    }

    /** squeue's field for the job, read as root; empty once it left the queue. */
    private static String squeue(String jobId, String format) {
        return new String(RootCommands.slurm("squeue", "-h", "-j", jobId, "-o", format), StandardCharsets.UTF_8).strip();
    }

    private static void waitFor(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            sleep(200);
        }
    }

    /** The file as root, once it exists (a job's output appears when the job starts). */
    private static String read(String path) {
        waitFor(() -> Files.exists(Path.of(path)));
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tokens last 300 s; a long run fetches new ones. */
    private static String token(String user) {
        Token token = TOKENS.compute(user, (name, current) ->
                current != null && current.fetched().isAfter(Instant.now().minusSeconds(200))
                        ? current : new Token(LocalServices.mockToken(name), Instant.now()));
        return token.value();
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
