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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The v2 {@code /compute/{system}/jobs} endpoints end to end, as alice and bob against the local
 * Slurm 22.05 with slurmdbd. What Goldcrest reports is checked against what really happened: the
 * job's output on disk and Slurm's own accounting, read as root with text sacct (whose exit codes,
 * unlike 22.05's JSON, are right). Every job this class submits is cancelled afterwards.
 */
class ComputeApiIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/home/alice/compute-it-" + RUN;
    private static final String JOBS = "/compute/cluster/jobs";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static Goldcrest goldcrest;
    private static ApiClient client;
    private static final Map<String, Token> TOKENS = new ConcurrentHashMap<>();
    private static final Set<String> SUBMITTED = ConcurrentHashMap.newKeySet();

    private record Token(String value, Instant fetched) {}

    @BeforeAll
    static void start() {
        goldcrest = Goldcrest.start(LocalServices.config(LocalServices.devConfigYaml()), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        sh("mkdir -p \"$1\" && chown alice:alice \"$1\"", BASE);
    }

    /** The node has 8 CPUs: jobs left running would keep later tests' jobs pending. */
    @AfterEach
    void cancelThisTestsJobs() {
        if (SUBMITTED.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("scancel"));
        argv.addAll(SUBMITTED);
        SUBMITTED.clear();
        try {
            // scancel complains about jobs that already ended; that is fine here.
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("SLURM_CONF", LocalServices.clusterDirectory().resolve("slurm/slurm.conf").toString());
            assertThat(builder.start().waitFor(60, TimeUnit.SECONDS)).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
        run("rm", "-rf", "--", BASE);
    }

    // ================================================================ submit and follow

    @Test
    void inlineJobGoesFromPendingThroughRunningToCompletedAndWritesItsOutput() {
        String out = BASE + "/inline.out";
        // The begin time holds the job PENDING for a few seconds, so all three states are seen.
        String script = "#!/bin/bash\n#SBATCH --begin=now+5\necho \"A=[$A] B=[$B]\"\necho 'quote'\\''s $(not run) \"x\"'\nsleep 4\n";
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", "inline-" + RUN);
        job.put("working_directory", BASE);
        job.put("standardOutput", out);
        job.put("script", script);
        job.put("env", Map.of("A", "x,y", "B", "it's $HOME"));
        String id = submit("alice", job);

        List<String> states = new ArrayList<>();
        JsonNode finished = poll("alice", id, node -> {
            String state = state(node);
            if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                states.add(state);
            }
            return state.equals("COMPLETED");
        });
        assertThat(states).containsSubsequence("PENDING", "RUNNING", "COMPLETED");

        assertThat(finished.get("jobId").asText()).isEqualTo(id);
        assertThat(finished.get("name").asText()).isEqualTo("inline-" + RUN);
        assertThat(finished.get("user").asText()).isEqualTo("alice");
        assertThat(finished.get("account").asText()).isEqualTo("proj1");
        assertThat(finished.get("partition").asText()).isEqualTo("normal");
        assertThat(finished.get("workingDirectory").asText()).isEqualTo(BASE);
        assertThat(finished.get("cluster").asText()).isEqualTo("lc");
        assertThat(finished.get("nodes").asText()).isEqualTo("localhost");
        assertThat(finished.get("allocationNodes").asInt()).isEqualTo(1);
        assertThat(finished.get("status").get("exitCode").asInt()).isZero();
        assertThat(finished.get("status").get("interruptSignal").asInt()).isZero();
        JsonNode time = finished.get("time");
        assertThat(time.get("end").asLong() - time.get("start").asLong()).isEqualTo(time.get("elapsed").asLong());
        assertThat(time.get("elapsed").asLong()).isBetween(3L, 30L);
        assertThat(time.get("limit").asLong()).isEqualTo(3600);
        assertThat(StreamSupport.stream(finished.get("tasks").spliterator(), false).map(task -> task.get("id").asText()))
                .contains(id + ".batch");
        assertThat(accounting(id)).isEqualTo("COMPLETED 0:0");

        String expected = "A=[x,y] B=[it's $HOME]\nquote's $(not run) \"x\"\n";
        assertThat(view("alice", out)).isEqualTo(expected);
        assertThat(read(out)).isEqualTo(expected);
    }

    @Test
    void jobFromAScriptPathRunsThatFileAndReportsItsStreams() {
        String path = BASE + "/by path.sh";
        write(path, "#!/bin/sh\necho \"from the file in $(pwd)\"\n");
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("workingDirectory", BASE);
        job.put("script_path", path);
        job.put("script", "#!/bin/sh\necho ignored: the path wins\n");
        job.put("standard_output", "path-%j.out");
        String id = submit("alice", job);

        assertThat(state(poll("alice", id, node -> state(node).equals("COMPLETED")))).isEqualTo("COMPLETED");
        assertThat(read(BASE + "/path-" + id + ".out")).isEqualTo("from the file in " + BASE + "\n");

        JsonNode metadata = ok(client.get(JOBS + "/" + id + "/metadata", token("alice")), 200).get("jobs").get(0);
        assertThat(metadata.get("jobId").asText()).isEqualTo(id);
        assertThat(metadata.get("standardOutput").asText()).isEqualTo(BASE + "/path-" + id + ".out");
        assertThat(metadata.get("standardInput").asText()).isEqualTo("/dev/null");
        assertThat(metadata.get("script").asText()).isEqualTo("#!/bin/sh\necho \"from the file in $(pwd)\"\n");
    }

    @Test
    void exitThreeIsFailedWithExitCodeThree() {
        String id = submit("alice", inline("#!/bin/bash\nexit 3\n"));

        JsonNode job = poll("alice", id, node -> state(node).equals("FAILED"));
        assertThat(job.get("status").get("exitCode").asInt()).isEqualTo(3);
        assertThat(job.get("status").get("interruptSignal").asInt()).isZero();
        assertThat(accounting(id)).isEqualTo("FAILED 3:0");
        JsonNode batch = StreamSupport.stream(job.get("tasks").spliterator(), false)
                .filter(task -> task.get("id").asText().equals(id + ".batch")).findFirst().orElseThrow();
        assertThat(batch.get("status").get("state").asText()).isEqualTo("FAILED");
        assertThat(batch.get("status").get("exitCode").asInt()).isEqualTo(3);
    }

    @Test
    void aRunningJobIsCancelled() {
        String id = submit("alice", inline("#!/bin/bash\nsleep 300\n"));
        poll("alice", id, node -> state(node).equals("RUNNING"));

        assertThat(client.send("DELETE", JOBS + "/" + id, token("alice")).status()).isEqualTo(204);

        JsonNode job = poll("alice", id, node -> state(node).equals("CANCELLED"));
        assertThat(job.get("killRequestUser").asText()).isEqualTo("alice");
        assertThat(accounting(id)).startsWith("CANCELLED");
    }

    @Test
    void attachRunsTheCommandInsideTheJob() {
        String id = submit("alice", inline("#!/bin/bash\nsleep 120\n"));
        poll("alice", id, node -> state(node).equals("RUNNING"));
        String out = BASE + "/attach-" + id + ".out";

        ApiClient.Response attached = client.sendJson("PUT", JOBS + "/" + id + "/attach", token("alice"),
                Map.of("command", "echo \"in $SLURM_JOB_ID\" > '" + out + "'"));

        assertThat(attached.status()).as(attached.text()).isEqualTo(204);
        assertThat(read(out)).isEqualTo("in " + id + "\n");
    }

    // ================================================================ lists

    @Test
    void arraysDependenciesAndHeldJobsAreListed() {
        String array = submit("alice", inline("#!/bin/bash\n#SBATCH --array=1-3\nsleep 60\n"));
        String dependent = submit("alice", inline("#!/bin/bash\n#SBATCH --dependency=afterok:" + array + "\ntrue\n"));
        String held = submit("alice", inline("#!/bin/bash\n#SBATCH --hold\ntrue\n"));

        JsonNode jobs = list("alice", "");
        List<JsonNode> tasks = jobs(jobs, job -> job.get("arrayJobId").asText().equals(array));
        assertThat(tasks).isNotEmpty();
        assertThat(tasks.stream().map(job -> job.get("arrayTaskId").asText()).reduce("", String::concat))
                .as("tasks 1 to 3, started or still pending as a range").containsAnyOf("1", "1-3");
        JsonNode waiting = single(jobs, dependent);
        assertThat(state(waiting)).isEqualTo("PENDING");
        assertThat(waiting.get("status").get("stateReason").asText()).isEqualTo("Dependency");
        JsonNode holding = single(jobs, held);
        assertThat(state(holding)).isEqualTo("PENDING");
        assertThat(holding.get("status").get("stateReason").asText()).isEqualTo("JobHeldUser");

        // GET of the array's id gives every task of the array.
        JsonNode byId = ok(client.get(JOBS + "/" + array, token("alice")), 200).get("jobs");
        assertThat(byId.size()).isGreaterThanOrEqualTo(1);
        for (JsonNode task : byId) {
            assertThat(task.get("arrayJobId").asText()).isEqualTo(array);
        }
    }

    @Test
    void ownJobsByDefaultEveryonesWithAllusers() {
        String mine = submit("alice", inline("#!/bin/bash\nsleep 60\n"));
        String bobs = submit("bob", inline("#!/bin/bash\nsleep 60\n"), "/home/bob");

        JsonNode own = list("alice", "?allusers=false&account=");
        assertThat(ids(own)).contains(mine).doesNotContain(bobs);
        assertThat(jobs(own, job -> !job.get("user").asText().equals("alice"))).isEmpty();

        JsonNode all = list("alice", "?allusers=true");
        assertThat(ids(all)).contains(mine, bobs);
        assertThat(single(all, bobs).get("user").asText()).isEqualTo("bob");

        JsonNode bobsOwn = list("bob", "");
        assertThat(ids(bobsOwn)).contains(bobs).doesNotContain(mine);
    }

    @Test
    void theAccountAndNameFiltersMatchExactly() {
        String name = "filter-" + RUN;
        Map<String, Object> second = inline("#!/bin/bash\nsleep 30\n");
        second.put("account", "proj2");
        second.put("name", name);
        String proj2 = submit("alice", second);
        Map<String, Object> first = inline("#!/bin/bash\nsleep 30\n");
        first.put("name", name + ",x");
        String proj1 = submit("alice", first);

        assertThat(ids(list("alice", "?account=proj2"))).contains(proj2).doesNotContain(proj1);
        // Slurm reads --name=a,x as two names; only the exact name is answered.
        assertThat(ids(list("alice", "?name=" + name))).containsExactly(proj2);
        assertThat(ids(list("alice", "?name=" + name + ",x"))).containsExactly(proj1);
    }

    @Test
    void aJobJustSubmittedIsListedAtOnceDespiteTheCache() {
        list("alice", "?time_window=1h");
        String id = submit("alice", inline("#!/bin/bash\nsleep 30\n"));
        assertThat(ids(list("alice", "?time_window=1h"))).contains(id);
    }

    // ================================================================ another user's job

    @Test
    void bobCannotCancelAlicesJobNorSeeItsScript() {
        String script = "#!/bin/bash\n# alice's secret\nsleep 120\n";
        String id = submit("alice", inline(script));
        poll("alice", id, node -> state(node).equals("RUNNING"));

        ApiClient.Response cancel = client.send("DELETE", JOBS + "/" + id, token("bob"));
        assertThat(cancel.status()).isEqualTo(500);
        assertThat(cancel.json().get("message").asText())
                .startsWith("Unexpected Slurm command response. exit_status:")
                .contains("Kill job error on job id " + id + ": Access/permission denied");
        assertThat(cancel.json().get("user").asText()).isEqualTo("bob");
        assertThat(queueState(id)).isEqualTo("RUNNING");

        JsonNode bobsView = ok(client.get(JOBS + "/" + id + "/metadata", token("bob")), 200).get("jobs").get(0);
        assertThat(bobsView.get("script").isNull()).isTrue();
        JsonNode alicesView = ok(client.get(JOBS + "/" + id + "/metadata", token("alice")), 200).get("jobs").get(0);
        assertThat(alicesView.get("script").asText()).isEqualTo(script);

        // The job itself is visible to bob, as Slurm shows it to him.
        assertThat(single(ok(client.get(JOBS + "/" + id, token("bob")), 200), id).get("user").asText()).isEqualTo("alice");
    }

    // ================================================================ refusals

    @Test
    void aBadPartitionOrAccountIsA400WithSlurmsReason() {
        Map<String, Object> partition = inline("#!/bin/bash\ntrue\n");
        partition.put("partition", "nosuch");
        ApiClient.assertError(client.sendJson("POST", JOBS, token("alice"), Map.of("job", partition)), 400,
                "Job submission rejected: Invalid partition name specified (invalid partition specified: nosuch)", "alice");

        Map<String, Object> account = inline("#!/bin/bash\ntrue\n");
        account.put("account", "nosuch");
        ApiClient.assertError(client.sendJson("POST", JOBS, token("alice"), Map.of("job", account)), 400,
                "Job submission rejected: Invalid account or account/partition combination specified", "alice");

        // proj2 exists, but bob has no association with it.
        Map<String, Object> notBobs = inline("#!/bin/bash\ntrue\n");
        notBobs.put("account", "proj2");
        notBobs.put("working_directory", "/home/bob");
        ApiClient.assertError(client.sendJson("POST", JOBS, token("bob"), Map.of("job", notBobs)), 400,
                "Job submission rejected: Invalid account or account/partition combination specified", "bob");
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsSubmitted() {
        ApiClient.assertError(client.sendJson("POST", JOBS, token("alice"), Map.of("job", inline("echo no shebang\n"))), 400,
                "Job submission rejected: This does not look like a batch script.  The first line must start with #! "
                        + "followed by the path to an interpreter. For instance: #!/bin/sh", "alice");
        Map<String, Object> missing = inline("#!/bin/bash\ntrue\n");
        missing.put("working_directory", BASE + "/nosuch");
        ApiClient.assertError(client.sendJson("POST", JOBS, token("alice"), Map.of("job", missing)), 400,
                "The working directory (" + BASE + "/nosuch) does not exist.", "alice");

        assertValidation(client.sendJson("POST", JOBS, token("alice"), Map.of("job", Map.of("script", "#!/bin/sh\n"))),
                "body", "workingDirectory");
        assertValidation(client.sendJson("POST", JOBS, token("alice"), Map.of("job", Map.of("working_directory", BASE))),
                "body", "script");
        assertValidation(client.sendJson("POST", JOBS, token("alice"), Map.of("script", "#!/bin/sh\n")), "body", "job");
        Map<String, Object> badName = inline("#!/bin/bash\ntrue\n");
        badName.put("env", Map.of("NOT-A-NAME", "x"));
        assertValidation(client.sendJson("POST", JOBS, token("alice"), Map.of("job", badName)), "body", "env");
        assertValidation(client.get(JOBS + "/12_3", token("alice")), "path", "job_id");
        assertValidation(client.get(JOBS + "?time_window=2d", token("alice")), "query", "time_window");
        assertValidation(client.get(JOBS + "?allusers=maybe", token("alice")), "query", "allusers");

        ApiClient.assertError(client.get(JOBS + "/999999", token("alice")), 404, "Job not found.", "alice");
        ApiClient.assertError(client.get(JOBS + "/999999/metadata", token("alice")), 404, "Job not found.", "alice");
        ApiClient.assertError(client.get("/compute/nosuch/jobs", token("alice")), 404, "System not found", "alice");
        assertThat(client.get(JOBS, null).status()).isEqualTo(401);
    }

    // ================================================================ helpers

    private static Map<String, Object> inline(String script) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("working_directory", BASE);
        job.put("script", script);
        job.put("standardOutput", "/dev/null");
        return job;
    }

    private static String submit(String user, Map<String, Object> job) {
        return submit(user, job, null);
    }

    private static String submit(String user, Map<String, Object> job, String workingDirectory) {
        if (workingDirectory != null) {
            job.put("working_directory", workingDirectory);
        }
        JsonNode answer = ok(client.sendJson("POST", JOBS, token(user), Map.of("job", job)), 201);
        String id = answer.get("jobId").asText();
        assertThat(id).matches("\\d+");
        SUBMITTED.add(id);
        return id;
    }

    /** Asks for the job every 300 ms until the condition holds, and returns that answer. */
    private static JsonNode poll(String user, String id, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = single(ok(client.get(JOBS + "/" + id, token(user)), 200), id);
            if (condition.test(last)) {
                return last;
            }
            sleep(300);
        }
        throw new AssertionError("job " + id + " did not reach the state in " + WAIT + "; last answer " + last);
    }

    private static JsonNode list(String user, String query) {
        return ok(client.get(JOBS + query, token(user)), 200);
    }

    private static List<JsonNode> jobs(JsonNode answer, Predicate<JsonNode> condition) {
        return StreamSupport.stream(answer.get("jobs").spliterator(), false).filter(condition).toList();
    }

    private static List<String> ids(JsonNode answer) {
        return jobs(answer, job -> true).stream().map(job -> job.get("jobId").asText()).toList();
    }

    private static JsonNode single(JsonNode answer, String id) {
        List<JsonNode> matches = jobs(answer, job -> job.get("jobId").asText().equals(id));
        assertThat(matches).as("job %s in %s", id, answer).hasSize(1);
        return matches.get(0);
    }

    private static String state(JsonNode job) {
        return job.get("status").get("state").asText();
    }

    private static JsonNode ok(ApiClient.Response response, int status) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(status);
        return response.json();
    }

    private static void assertValidation(ApiClient.Response response, String location, String name) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("errorType").asText()).isEqualTo("validation");
        JsonNode field = response.json().get("data").get("fields").get(0);
        assertThat(field.get("location").asText()).isEqualTo(location);
        assertThat(field.get("name").asText()).isEqualTo(name);
    }

    private static String view(String user, String path) {
        return ok(client.get("/filesystem/cluster/ops/view?path=" + path.replace(" ", "%20"), token(user)), 200)
                .get("output").asText();
    }

    /** Tokens last 300 s; a long run fetches new ones. */
    private static String token(String user) {
        Token token = TOKENS.compute(user, (name, current) ->
                current != null && current.fetched().isAfter(Instant.now().minusSeconds(200))
                        ? current : new Token(LocalServices.mockToken(name), Instant.now()));
        return token.value();
    }

    /** Slurm's own record of the job, read as root: {@code STATE EXITCODE}. */
    private static String accounting(String id) {
        String line = new String(slurm("sacct", "-j", id, "-X", "-n", "-P", "--format=State,ExitCode"), StandardCharsets.UTF_8).strip();
        return line.replace('|', ' ');
    }

    /** The job's state in slurmctld, read as root (accounting can lag a second behind). */
    private static String queueState(String id) {
        return new String(slurm("squeue", "-h", "-j", id, "-o", "%T"), StandardCharsets.UTF_8).strip();
    }

    private static byte[] slurm(String... argv) {
        return RootCommands.slurm(argv);
    }

    private static String read(String path) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!Files.exists(Path.of(path)) && Instant.now().isBefore(deadline)) {
            sleep(200);
        }
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String path, String content) {
        try {
            Files.writeString(Path.of(path), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("chown", "alice:alice", path);
    }

    private static void sh(String script, String... args) {
        RootCommands.sh(script, args);
    }

    private static void run(String... argv) {
        RootCommands.run(argv);
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
