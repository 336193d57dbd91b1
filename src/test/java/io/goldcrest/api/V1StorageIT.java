package io.goldcrest.api;

import static io.goldcrest.RootCommands.run;
import static io.goldcrest.RootCommands.sh;
import static io.goldcrest.RootCommands.slurm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * FirecREST v1's {@code /storage} routes end to end, as pyfirecrest's v1 client uses them: form
 * bodies, {@code X-Machine-Name}, tasks polled with {@code GET /v1/tasks?tasks=<id>}; real Slurm jobs
 * on the xfer partition and real presigned S3 URLs (S3Proxy). What the API reports is checked
 * against the files on disk and Slurm's own view, read as root.
 */
class V1StorageIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/home/alice/v1-storage-it-" + RUN;
    /** Readable by everyone, so that only a file's own mode keeps bob out. */
    private static final String SHARED = "/tmp/v1-storage-it-" + RUN;
    private static final String HOSTILE = "it's & \"$(touch pwned)\" `x` ;ls spaced out";
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Slurm reuses job ids after its state is reset, so accounting is read from this run's time on. */
    private static final String SINCE = LocalDateTime.now().minusMinutes(1).truncatedTo(ChronoUnit.SECONDS).toString();

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static Goldcrest goldcrest;
    private static ApiClient client;
    private static Path local;

    @BeforeAll
    static void start() throws IOException {
        goldcrest = Goldcrest.start(LocalServices.config(TransferApiIT.config(Files.createTempDirectory("v1-storage-it"), "")),
                Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        local = Files.createTempDirectory("v1-storage-it-client");
        sh("mkdir -p \"$1\" && chown alice:alice \"$1\" && chmod 700 \"$1\"", BASE);
        sh("mkdir -p \"$1\" && chown alice:alice \"$1\" && chmod 755 \"$1\"", SHARED);
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
        run("rm", "-rf", "--", BASE, SHARED, local.toString());
    }

    // ================================================================ helpers

    private static String token(String user) {
        return TOKENS.computeIfAbsent(user, LocalServices::mockToken);
    }

    /** A v1 request as pyfirecrest sends it: a urlencoded form and {@code X-Machine-Name: cluster}. */
    private static ApiClient.Response post(String user, String path, Map<String, String> form) {
        return send("POST", path, user, form, Map.of("X-Machine-Name", "cluster"));
    }

    private static ApiClient.Response send(String method, String path, String user, Map<String, String> form,
                                           Map<String, String> headers) {
        return new ApiClient(goldcrest.port()).send(method, "/v1" + path, token(user), headers, "application/x-www-form-urlencoded",
                V1FormClient.encode(form).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    /** The v1 task as pyfirecrest reads it: {@code GET /tasks?tasks=<id>}, indexed by id. */
    private static JsonNode v1Task(String user, String taskId) {
        ApiClient.Response response = send("GET", "/tasks?tasks=" + taskId, user, Map.of(), Map.of());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode task = response.json().at("/tasks/" + taskId);
        assertThat(task.isMissingNode()).as("task %s in %s", taskId, response.text()).isFalse();
        return task;
    }

    /** Polls the v1 task until its status satisfies {@code done}. */
    private static JsonNode awaitV1(String user, String taskId, Predicate<String> done) {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            JsonNode task = v1Task(user, taskId);
            if (done.test(task.get("status").asText())) {
                return task;
            }
            assertThat(Instant.now()).as("v1 task %s still %s", taskId, task).isBefore(deadline);
            TransferApiIT.sleep(250);
        }
    }

    /** Submits an internal transfer and checks v1's answers: 201 without a task URL, then status 200 with the job. */
    private static JsonNode internal(String user, String operation, Map<String, String> form) {
        ApiClient.Response response = post(user, "/storage/xfer-internal/" + operation, form);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        assertThat(response.json().get("success").asText()).isEqualTo("Task created");
        assertThat(response.json().has("task_url")).isFalse();
        String taskId = response.json().get("task_id").asText();
        JsonNode task = v1Task(user, taskId);
        assertThat(task.get("status").asText()).isEqualTo("200");
        assertThat(task.get("service").asText()).isEqualTo("storage");
        assertThat(task.get("system").asText()).isEqualTo("cluster");
        JsonNode data = task.get("data");
        assertThat(data.get("result").asText()).isEqualTo("Job submitted");
        assertThat(data.get("jobid").asText()).matches("\\d+");
        assertThat(data.get("job_file_out").asText()).startsWith("/home/" + user + "/.f7t_file_handling_job_");
        assertThat(data.get("job_file_err").asText()).startsWith("/home/" + user + "/.f7t_file_handling_job_error_");
        return task;
    }

    /** Waits for the job behind an internal transfer (its v2 task follows it) and checks it succeeded. */
    private static void succeeded(String user, JsonNode v1Task) {
        JsonNode task = TransferApiIT.awaitTask(client, user, v1Task.get("task_id").asText());
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("succeeded");
        assertThat(task.get("jobId").asText()).isEqualTo(v1Task.at("/data/jobid").asText());
    }

    /** The accounting fields of a job of this run, as Slurm reports them ({@code |}-separated). */
    private static String sacct(String jobId, String fields) {
        List<String> lines = new String(slurm("sacct", "-j", jobId, "-S", SINCE, "-n", "-X", "-P", "-o", fields),
                StandardCharsets.UTF_8).lines().toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }

    private static String exists(String path) {
        return sh("test -e \"$1\" && echo exists || echo gone", path).trim();
    }

    /** Whether the staging object a presigned URL names exists, asked with the test's own S3 credentials. */
    private static boolean staged(String presignedUrl) {
        String path = URI.create(presignedUrl).getPath();
        int slash = path.indexOf('/', 1);
        LocalServices.S3Service s3 = LocalServices.s3Proxy();
        try (S3Client admin = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            admin.headObject(request -> request.bucket(path.substring(1, slash)).key(path.substring(slash + 1)));
            return true;
        } catch (S3Exception e) {
            assertThat(e.statusCode()).isEqualTo(404);
            return false;
        }
    }

    /** Runs {@code data.msg.command} as pyfirecrest's finish_upload() does: split into words as shlex would, then executed. */
    private static int runCommand(String command) {
        try {
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "eval \"set -- $CMD\"; exec \"$@\"")
                    .redirectErrorStream(true);
            builder.environment().put("CMD", command);
            Process process = builder.start();
            process.getOutputStream().close();
            process.getInputStream().readAllBytes();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ================================================================ internal transfers

    @Test
    void everyInternalTransferRunsAsAJobOnHostileNames() {
        String dir = BASE + "/" + HOSTILE;
        sh("mkdir -p \"$1/sub\" && echo one > \"$1/a.txt\" && echo two > \"$1/sub/b.dat\" && ln -s a.txt \"$1/link\""
                + " && chown -R alice:alice \"$1\"", dir);

        JsonNode synced = internal("alice", "rsync", form("sourcePath", dir + "/", "targetPath", dir + ".rsync"));
        succeeded("alice", synced);
        assertThat(sh("cat -- \"$1/sub/b.dat\" && stat -c %F -- \"$1/link\"", dir + ".rsync")).isEqualTo("two\nsymbolic link\n");
        assertThat(sh("cat -- \"$1\"", synced.at("/data/job_file_out").asText())).contains("Files were successfully synchronized.");

        JsonNode copied = internal("alice", "cp", form("sourcePath", dir, "targetPath", dir + ".copy"));
        succeeded("alice", copied);
        assertThat(sh("cat -- \"$1/a.txt\" && stat -c %F -- \"$1/link\"", dir + ".copy")).isEqualTo("one\nsymbolic link\n");

        JsonNode moved = internal("alice", "mv", form("sourcePath", dir + ".copy", "targetPath", dir + ".moved"));
        succeeded("alice", moved);
        assertThat(exists(dir + ".copy")).isEqualTo("gone");
        assertThat(sh("cat -- \"$1/sub/b.dat\"", dir + ".moved")).isEqualTo("two\n");

        JsonNode compressed = internal("alice", "compress", form("sourcePath", dir, "targetPath", dir + ".tar.gz", "dereference", "true"));
        succeeded("alice", compressed);
        assertThat(sh("tar -tvzf \"$1\" | sort", dir + ".tar.gz")).contains(HOSTILE + "/a.txt", HOSTILE + "/sub/b.dat")
                .doesNotContain(HOSTILE + "/link ->");

        String out = BASE + "/out & 'x' $(touch pwned)";
        sh("mkdir -p \"$1/tgz\" \"$1/zip\" && chown -R alice:alice \"$1\"", out);
        // pyfirecrest sends the archive type as `extension` (FirecREST v1 read only `type`)
        JsonNode extracted = internal("alice", "extract", form("sourcePath", dir + ".tar.gz", "targetPath", out + "/tgz",
                "extension", ".tar.gz"));
        succeeded("alice", extracted);
        assertThat(sh("cat -- \"$1/$2/sub/b.dat\"", out + "/tgz", HOSTILE)).isEqualTo("two\n");

        // unzip reads its archive argument as a pattern: a decoy that the pattern matches must not be opened
        String zip = BASE + "/z[1]*.zip";
        sh("cd \"$1\" && zip -qr \"$2\" \"$3\" && mkdir decoy && echo decoy > decoy/d.txt && zip -qr z1-decoy.zip decoy"
                + " && chown alice:alice \"$2\" z1-decoy.zip", BASE, zip, HOSTILE);
        JsonNode unzipped = internal("alice", "extract", form("sourcePath", zip, "targetPath", out + "/zip", "type", "auto"));
        succeeded("alice", unzipped);
        assertThat(sh("cat -- \"$1/$2/a.txt\"", out + "/zip", HOSTILE)).isEqualTo("one\n");
        assertThat(exists(out + "/zip/decoy")).isEqualTo("gone");

        JsonNode removed = internal("alice", "rm", form("targetPath", dir + ".moved"));
        succeeded("alice", removed);
        assertThat(exists(dir + ".moved")).isEqualTo("gone");

        // No name was ever run as a command.
        assertThat(sh("find /home /tmp -name pwned 2>/dev/null | head -1 || true")).isEmpty();
    }

    @Test
    void jobNameTimeLimitAccountAndDependencyReachSlurm() {
        String name = "my job's \"name\" $(touch pwned); x";
        sh("mkdir -p \"$1\" && chown alice:alice \"$1\"", BASE + "/keep");
        JsonNode named = internal("alice", "rsync", form("sourcePath", BASE + "/keep", "targetPath", BASE + "/keep.2",
                "jobName", name, "time", "0-0:5", "account", "proj2"));
        String jobId = named.at("/data/jobid").asText();
        succeeded("alice", named);
        // slurmctld's own record (it keeps ended jobs for MinJobAge, 300 s): accounting may still be catching up
        String job = new String(slurm("scontrol", "show", "job", "-o", jobId), StandardCharsets.UTF_8);
        assertThat(job).contains("JobId=" + jobId + " JobName=" + name + " UserId=alice(", " Account=proj2 ",
                " TimeLimit=00:05:00 ", " Partition=xfer ");

        // A job waiting for one that fails waits for ever (afterok): the rm never runs.
        JsonNode failing = internal("alice", "mv", form("sourcePath", BASE + "/does-not-exist", "targetPath", BASE + "/x"));
        JsonNode waiting = internal("alice", "rm", form("targetPath", BASE + "/keep", "stageOutJobId", failing.at("/data/jobid").asText()));
        String waitingJob = waiting.at("/data/jobid").asText();
        assertThat(TransferApiIT.awaitTask(client, "alice", failing.get("task_id").asText()).get("state").asText()).isEqualTo("failed");
        Instant deadline = Instant.now().plus(WAIT);
        String reason;
        while (!(reason = new String(slurm("squeue", "-h", "-j", waitingJob, "-o", "%T %r"), StandardCharsets.UTF_8).trim())
                .equals("PENDING DependencyNeverSatisfied")) {
            assertThat(reason).isIn("PENDING Dependency", "PENDING DependencyNeverSatisfied");
            assertThat(Instant.now()).as("job %s: %s", waitingJob, reason).isBefore(deadline);
            TransferApiIT.sleep(250);
        }
        slurm("scancel", waitingJob);
        assertThat(TransferApiIT.awaitTask(client, "alice", waiting.get("task_id").asText()).get("state").asText()).isEqualTo("cancelled");
        assertThat(exists(BASE + "/keep")).isEqualTo("exists");
    }

    @Test
    void badParametersAndRefusedSubmissionsAreV1Errors() {
        ApiClient.Response time = post("alice", "/storage/xfer-internal/cp", form("sourcePath", BASE, "targetPath", BASE + ".t",
                "time", "1:2:3:4"));
        assertThat(time.status()).isEqualTo(400);
        assertThat(time.json().get("error").asText()).isEqualTo("Not supported time format");
        assertThat(post("alice", "/storage/xfer-internal/cp", form("sourcePath", BASE, "targetPath", BASE + ".t", "time", "2h"))
                .json().get("error").asText()).isEqualTo("Not supported time format");

        ApiClient.Response noTarget = post("alice", "/storage/xfer-internal/mv", form("sourcePath", BASE));
        assertThat(noTarget.status()).isEqualTo(400);
        assertThat(noTarget.json().get("error").asText()).isEqualTo("'targetPath' not specified");
        assertThat(noTarget.json().get("description").asText()).isEqualTo("Error on mv operation");
        ApiClient.Response noSource = post("alice", "/storage/xfer-internal/rsync", form("targetPath", BASE + ".x"));
        assertThat(noSource.json().get("error").asText()).isEqualTo("'sourcePath' not specified");
        ApiClient.Response emptySource = post("alice", "/storage/xfer-internal/compress", form("sourcePath", "", "targetPath", BASE + ".x"));
        assertThat(emptySource.json().get("error").asText()).isEqualTo("'sourcePath' is empty");

        ApiClient.Response outside = post("alice", "/storage/xfer-internal/cp", form("sourcePath", "/etc/passwd", "targetPath", BASE + "/p"));
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.header("X-Invalid-Path")).isNotNull();
        ApiClient.Response format = post("alice", "/storage/xfer-internal/extract", form("sourcePath", BASE + "/a.rar", "targetPath", BASE));
        assertThat(format.status()).isEqualTo(400);
        assertThat(format.json().get("error").asText()).isEqualTo("Unsupported file format in " + BASE + "/a.rar.");
        ApiClient.Response dependency = post("alice", "/storage/xfer-internal/rm", form("targetPath", BASE + "/x", "stageOutJobId", "1,2"));
        assertThat(dependency.status()).isEqualTo(400);

        ApiClient.Response machine = send("POST", "/storage/xfer-internal/rm", "alice", form("targetPath", BASE + "/x"),
                Map.of("X-Machine-Name", "nowhere"));
        assertThat(machine.status()).isEqualTo(400);
        assertThat(machine.header("X-Machine-Does-Not-Exists")).isEqualTo("Machine does not exists");

        // Slurm refuses bob an account that is not his: v1's X-Sbatch-Error, and no task
        int bobsTasks = send("GET", "/tasks", "bob", Map.of(), Map.of()).json().get("tasks").size();
        ApiClient.Response account = post("bob", "/storage/xfer-internal/rm", form("targetPath", "/home/bob/nothing-" + RUN, "account", "proj2"));
        assertThat(account.status()).as(account.text()).isEqualTo(400);
        assertThat(account.header("X-Sbatch-Error")).contains("Invalid account");
        assertThat(account.json().get("error").asText()).contains("Invalid account");
        assertThat(send("GET", "/tasks", "bob", Map.of(), Map.of()).json().get("tasks").size()).isEqualTo(bobsTasks);
    }

    // ================================================================ external transfers

    @Test
    void uploadAsPyfirecrestDoesThenDownloadBackAndInvalidate() throws IOException {
        Path file = local.resolve("client's file $(touch pwned).bin");
        Files.copy(TransferApiIT.randomFile(3L << 20), file);
        String target = BASE + "/up " + HOSTILE;
        sh("mkdir -p \"$1\" && chown alice:alice \"$1\"", target);

        ApiClient.Response created = post("alice", "/storage/xfer-external/upload", form("sourcePath", file.toString(), "targetPath", target));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String taskId = created.json().get("task_id").asText();
        assertThat(created.json().get("task_url").asText()).isEqualTo("/v1/tasks/" + taskId);

        JsonNode ready = awaitV1("alice", taskId, status -> !status.equals("100") && !status.equals("110"));
        assertThat(ready.get("status").asText()).isEqualTo("111");
        assertThat(ready.get("description").asText()).isEqualTo("Form URL from Object Storage received");
        JsonNode data = ready.get("data");
        assertThat(data.get("source").asText()).isEqualTo(file.toString());
        assertThat(data.get("target").asText()).isEqualTo(target + "/" + file.getFileName());
        assertThat(data.at("/msg/parameters/method").asText()).isEqualTo("PUT");
        assertThat(data.at("/msg/parameters/url").asText()).startsWith("http://127.0.0.1:9000/alice/").contains("X-Amz-Signature=");
        String putUrl = data.at("/msg/parameters/url").asText();
        assertThat(staged(putUrl)).isFalse();
        assertThat(runCommand(data.at("/msg/command").asText())).isZero();

        JsonNode done = awaitV1("alice", taskId, status -> status.compareTo("114") >= 0);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("114");
        String onCluster = target + "/" + file.getFileName();
        assertThat(sh("sha256sum -- \"$1\" | cut -d' ' -f1", onCluster).trim()).isEqualTo(TransferApiIT.sha256(file));
        assertThat(sh("stat -c %U -- \"$1\"", onCluster).trim()).isEqualTo("alice");
        // the staged copy is deleted once the job has the file
        JsonNode v2 = TransferApiIT.awaitTask(client, "alice", taskId);
        assertThat(v2.get("state").asText()).isEqualTo("succeeded");
        assertThat(staged(putUrl)).isFalse();

        // ... and back out
        ApiClient.Response download = post("alice", "/storage/xfer-external/download", form("sourcePath", onCluster));
        assertThat(download.status()).as(download.text()).isEqualTo(201);
        String downloadId = download.json().get("task_id").asText();
        JsonNode fetched = awaitV1("alice", downloadId, status -> !status.equals("100") && !status.equals("116"));
        assertThat(fetched.get("status").asText()).as(fetched.toString()).isEqualTo("117");
        assertThat(fetched.at("/data/source").asText()).isEqualTo(onCluster);
        assertThat(fetched.at("/data/system_name").asText()).isEqualTo("cluster");
        String url = fetched.at("/data/url").asText();
        Path back = local.resolve("back.bin");
        assertThat(TransferApiIT.curl(url, "--output", back.toString())).isEqualTo(200);
        assertThat(TransferApiIT.sha256(back)).isEqualTo(TransferApiIT.sha256(file));
        assertThat(staged(url)).isTrue();

        // invalidate: the URL finds nothing and the task is gone
        ApiClient.Response invalidated = send("POST", "/storage/xfer-external/invalidate", "alice", Map.of(), Map.of("X-Task-Id", downloadId));
        assertThat(invalidated.status()).as(invalidated.text()).isEqualTo(201);
        assertThat(invalidated.json().get("success").asText()).isEqualTo("URL invalidated successfully");
        assertThat(TransferApiIT.curl(url)).isIn(403, 404);
        assertThat(staged(url)).isFalse();
        assertThat(send("GET", "/tasks/" + downloadId, "alice", Map.of(), Map.of()).status()).isEqualTo(404);
        assertThat(send("GET", "/tasks?tasks=" + downloadId, "alice", Map.of(), Map.of()).json().get("tasks").size()).isZero();
        assertThat(client.get("/tasks/" + downloadId, token("alice")).status()).isEqualTo(404);
        ApiClient.Response again = send("POST", "/storage/xfer-external/invalidate", "alice", Map.of(), Map.of("X-Task-Id", downloadId));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("error").asText()).isEqualTo("Invalid X-Task-Id");

        assertThat(sh("find /home /tmp -name pwned 2>/dev/null | head -1 || true")).isEmpty();
    }

    @Test
    void anUploadWaitingInStagingIs113UntilTheJobHasIt() throws IOException {
        Path file = local.resolve("staged.bin");
        Files.copy(TransferApiIT.randomFile(1L << 20), file);
        ApiClient.Response created = post("alice", "/storage/xfer-external/upload", form("sourcePath", file.toString(), "targetPath", BASE));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String taskId = created.json().get("task_id").asText();
        JsonNode submitted = TransferApiIT.awaitTask(client, "alice", taskId, task -> true);
        String jobId = submitted.get("jobId").asText();
        // The job is stopped while the file sits in staging, so the watcher sees it there. It is
        // suspended once its script is waiting (suspending a job whose script has not started yet
        // does not stop the script).
        String outputLog = submitted.at("/result/transferJob/logs/outputLog").asText();
        Instant deadline = Instant.now().plus(WAIT);
        while (!sh("cat -- \"$1\" 2>/dev/null || true", outputLog).contains("Waiting for the file to be uploaded")) {
            assertThat(Instant.now()).as("job %s never waited for the file", jobId).isBefore(deadline);
            TransferApiIT.sleep(100);
        }
        slurm("scontrol", "suspend", jobId);
        try {
            JsonNode ready = awaitV1("alice", taskId, status -> true);
            assertThat(ready.get("status").asText()).isEqualTo("111");
            assertThat(runCommand(ready.at("/data/msg/command").asText())).isZero();
            JsonNode staged = awaitV1("alice", taskId, status -> !status.equals("111"));
            assertThat(staged.get("status").asText()).isEqualTo("113");
            assertThat(staged.get("description").asText()).isEqualTo("Download from Object Storage to server has started");
            assertThat(TransferApiIT.awaitTask(client, "alice", taskId, task -> true).at("/progress/done").asLong()).isEqualTo(1L << 20);
        } finally {
            // never hiding a failure above
            run(Map.of("SLURM_CONF", LocalServices.clusterDirectory().resolve("slurm/slurm.conf").toString()),
                    "sh", "-c", "scontrol resume \"$1\" || true", "sh", jobId);
        }
        assertThat(awaitV1("alice", taskId, status -> status.compareTo("114") >= 0).get("status").asText()).isEqualTo("114");
        assertThat(sh("sha256sum -- \"$1\" | cut -d' ' -f1", BASE + "/staged.bin").trim()).isEqualTo(TransferApiIT.sha256(file));
    }

    @Test
    void invalidatingAWaitingUploadCancelsItsJob() {
        ApiClient.Response created = post("alice", "/storage/xfer-external/upload",
                form("sourcePath", "/anywhere/never.bin", "targetPath", BASE + "/never.bin"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String taskId = created.json().get("task_id").asText();
        String jobId = TransferApiIT.awaitTask(client, "alice", taskId, task -> true).get("jobId").asText();
        assertThat(awaitV1("alice", taskId, status -> true).get("status").asText()).isEqualTo("111");

        ApiClient.Response invalidated = send("POST", "/storage/xfer-external/invalidate", "alice", Map.of(), Map.of("X-Task-Id", taskId));
        assertThat(invalidated.status()).as(invalidated.text()).isEqualTo(201);
        assertThat(send("GET", "/tasks/" + taskId, "alice", Map.of(), Map.of()).status()).isEqualTo(404);
        Instant deadline = Instant.now().plus(WAIT);
        String state;
        while (!(state = sacct(jobId, "State")).startsWith("CANCELLED")) {
            assertThat(Instant.now()).as("job %s is %s", jobId, state).isBefore(deadline);
            TransferApiIT.sleep(250);
        }
        assertThat(exists(BASE + "/never.bin")).isEqualTo("gone");
    }

    @Test
    void aFailedUploadIs115AndAFailedDownload118() {
        // the file would land on a directory: the job refuses before waiting for the client
        sh("mkdir -p \"$1/clash.bin\" && chown -R alice:alice \"$1\"", BASE + "/into");
        ApiClient.Response upload = post("alice", "/storage/xfer-external/upload", form("sourcePath", "/c/clash.bin", "targetPath", BASE + "/into"));
        assertThat(upload.status()).as(upload.text()).isEqualTo(201);
        JsonNode failed = awaitV1("alice", upload.json().get("task_id").asText(), status -> status.compareTo("114") >= 0);
        assertThat(failed.get("status").asText()).isEqualTo("115");
        assertThat(failed.at("/data/msg").asText()).contains("is a directory");

        // a FIFO is no regular file: the job refuses it (and the check before does not wait on it)
        sh("mkfifo \"$1\" && chown alice:alice \"$1\"", BASE + "/fifo");
        ApiClient.Response download = post("alice", "/storage/xfer-external/download", form("sourcePath", BASE + "/fifo"));
        assertThat(download.status()).as(download.text()).isEqualTo(201);
        JsonNode broken = awaitV1("alice", download.json().get("task_id").asText(), status -> status.compareTo("117") >= 0);
        assertThat(broken.get("status").asText()).isEqualTo("118");
        assertThat(broken.at("/data/error").asText()).contains("is not a readable file");
        assertThat(broken.has("url")).isFalse();
    }

    @Test
    void externalTransferErrors() {
        ApiClient.Response noSource = post("alice", "/storage/xfer-external/upload", form("targetPath", BASE));
        assertThat(noSource.status()).isEqualTo(400);
        assertThat(noSource.json().get("error").asText()).isEqualTo("'sourcePath' not specified");
        ApiClient.Response missingDir = post("alice", "/storage/xfer-external/upload", form("sourcePath", "f.bin", "targetPath", BASE + "/no/such"));
        assertThat(missingDir.status()).isEqualTo(400);
        assertThat(missingDir.header("X-Invalid-Path")).isNotNull();
        ApiClient.Response readOnly = post("alice", "/storage/xfer-external/upload", form("sourcePath", "f.bin", "targetPath", "/usr"));
        assertThat(readOnly.status()).isEqualTo(400);
        assertThat(readOnly.header("X-Permission-Denied")).isNotNull();
        ApiClient.Response directory = post("alice", "/storage/xfer-external/download", form("sourcePath", BASE));
        assertThat(directory.status()).isEqualTo(400);
        assertThat(directory.header("X-A-Directory")).isNotNull();
        ApiClient.Response missing = post("alice", "/storage/xfer-external/download", form("sourcePath", BASE + "/nothing"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.header("X-Invalid-Path")).isNotNull();

        ApiClient.Response noHeader = send("POST", "/storage/xfer-external/invalidate", "alice", Map.of(), Map.of());
        assertThat(noHeader.status()).isEqualTo(400);
        assertThat(noHeader.json().get("error").asText()).isEqualTo("Header X-Task-Id missing");
        ApiClient.Response malformed = send("POST", "/storage/xfer-external/invalidate", "alice", Map.of(), Map.of("X-Task-Id", "../x y"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).isEqualTo("Header X-Task-Id is not a valid task id");
        ApiClient.Response unknown = send("POST", "/storage/xfer-external/invalidate", "alice", Map.of(), Map.of("X-Task-Id", UUID.randomUUID().toString()));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).isEqualTo("Invalid X-Task-Id");
    }

    // ================================================================ isolation

    @Test
    void bobCannotSeeInvalidateOrFetchAlicesTransfers() {
        sh("echo secret > \"$1\" && chown alice:alice \"$1\" && chmod 600 \"$1\"", SHARED + "/secret.txt");
        ApiClient.Response download = post("alice", "/storage/xfer-external/download", form("sourcePath", SHARED + "/secret.txt"));
        assertThat(download.status()).as(download.text()).isEqualTo(201);
        String taskId = download.json().get("task_id").asText();
        assertThat(awaitV1("alice", taskId, status -> status.compareTo("117") >= 0).get("status").asText()).isEqualTo("117");

        ApiClient.Response other = send("GET", "/tasks/" + taskId, "bob", Map.of(), Map.of());
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().get("description").asText()).isEqualTo("Operation not permitted. Invalid task owner.");
        assertThat(send("GET", "/tasks?tasks=" + taskId, "bob", Map.of(), Map.of()).json().get("tasks").size()).isZero();
        ApiClient.Response invalidate = send("POST", "/storage/xfer-external/invalidate", "bob", Map.of(), Map.of("X-Task-Id", taskId));
        assertThat(invalidate.status()).isEqualTo(400);
        assertThat(invalidate.json().get("error").asText()).isEqualTo("Invalid X-Task-Id");
        assertThat(v1Task("alice", taskId).get("status").asText()).isEqualTo("117");
        assertThat(TransferApiIT.curl(v1Task("alice", taskId).at("/data/url").asText())).isEqualTo(200);

        // bob may see the file (its directory is open) but not read it: refused before any task exists
        ApiClient.Response stolen = post("bob", "/storage/xfer-external/download", form("sourcePath", SHARED + "/secret.txt"));
        assertThat(stolen.status()).as(stolen.text()).isEqualTo(400);
        assertThat(stolen.header("X-Permission-Denied")).isNotNull();
        ApiClient.Response planted = post("bob", "/storage/xfer-external/upload", form("sourcePath", "x.bin", "targetPath", BASE));
        assertThat(planted.status()).isEqualTo(400);
        assertThat(planted.header("X-Permission-Denied")).isNotNull();
        ApiClient.Response moved = post("bob", "/storage/xfer-internal/cp", form("sourcePath", SHARED + "/secret.txt", "targetPath", "/home/bob/s-" + RUN));
        assertThat(moved.status()).isEqualTo(201);
        JsonNode copy = TransferApiIT.awaitTask(client, "bob", moved.json().get("task_id").asText());
        assertThat(copy.get("state").asText()).isEqualTo("failed");
        assertThat(exists("/home/bob/s-" + RUN)).isEqualTo("gone");
        List<String> bobs = send("GET", "/tasks", "bob", Map.of(), Map.of()).json().get("tasks").findValuesAsText("user");
        assertThat(bobs).containsOnly("bob");
    }
}
