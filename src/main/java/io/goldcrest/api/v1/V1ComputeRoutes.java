package io.goldcrest.api.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.api.Access;
import io.goldcrest.api.Json;
import io.goldcrest.api.MultipartLimits;
import io.goldcrest.api.V1Failure;
import io.goldcrest.compute.ComputeService;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.filesystem.FilesystemService;
import io.goldcrest.filesystem.RemotePaths;
import io.goldcrest.scheduler.AccountingQuery;
import io.goldcrest.scheduler.HistoryWindow;
import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobFiles;
import io.goldcrest.scheduler.JobIds;
import io.goldcrest.scheduler.JobQuery;
import io.goldcrest.scheduler.JobSpec;
import io.goldcrest.scheduler.JobState;
import io.goldcrest.scheduler.Node;
import io.goldcrest.ssh.Concurrently;
import io.goldcrest.status.ServiceHealth.ServiceType;
import io.goldcrest.status.StatusService;
import io.goldcrest.tasks.Task;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FirecREST v1's {@code /compute} routes. Every call names its system in {@code X-Machine-Name}, is
 * checked at once (bad parameters are a 400 before anything runs) and answers with a task whose
 * {@code data} the work fills in; the work runs as the user through the same services as v2.
 *
 * <p>Queued-job listings show the jobs squeue shows by default: those not yet ended.
 */
final class V1ComputeRoutes {
    /** FirecREST v1's {@code F7T_TAIL_BYTES}: how much of each output file a listing shows. */
    private static final long TAIL_BYTES = 1000;
    /** Jobs whose files are looked up at once (three commands each) over the user's connection. */
    private static final int FILE_LOOKUPS_AT_ONCE = 8;
    private static final Pattern SCANCEL_ERROR = Pattern.compile("scancel: error: (.*)");
    private static final String NOT_AVAILABLE = "Not available";

    private final V1Services services;
    private final ComputeService compute;
    private final FilesystemService files;
    private final StatusService status;
    private final V1Tasks tasks;

    V1ComputeRoutes(V1Services services) {
        this.services = services;
        this.compute = services.compute();
        this.files = services.files();
        this.status = services.status();
        this.tasks = services.tasks();
    }

    void register(Javalin app, String prefix) {
        String compute = prefix + "/compute";
        app.post(compute + "/jobs/upload", this::submitUpload, Access.AUTHENTICATED);
        app.post(compute + "/jobs/path", this::submitPath, Access.AUTHENTICATED);
        app.get(compute + "/jobs", this::listJobs, Access.AUTHENTICATED);
        app.get(compute + "/jobs/{jobid}", this::getJob, Access.AUTHENTICATED);
        app.delete(compute + "/jobs/{jobid}", this::cancelJob, Access.AUTHENTICATED);
        app.get(compute + "/acct", this::accounting, Access.AUTHENTICATED);
        app.get(compute + "/nodes", this::nodes, Access.AUTHENTICATED);
        app.get(compute + "/nodes/{nodeName}", this::node, Access.AUTHENTICATED);
        app.get(compute + "/partitions", this::partitions, Access.AUTHENTICATED);
        app.get(compute + "/reservations", this::reservations, Access.AUTHENTICATED);
    }

    private record Target(ClusterConfig cluster, String user) {}

    /** The caller and system, with v1's description for this request's errors; an unhealthy system fails at once. */
    private Target target(Context ctx, String description) {
        V1Request.describe(ctx, description);
        String user = V1Request.user(ctx);
        ClusterConfig cluster = V1Request.system(ctx, services.config(), true);
        status.requireHealthy(cluster, ServiceType.SSH);
        status.requireHealthy(cluster, ServiceType.SCHEDULER);
        return new Target(cluster, user);
    }

    private void answer(Context ctx, int status, Target target, String operation, Callable<Object> work) {
        Task task = tasks.start(target.user(), target.cluster().name(), "compute", operation, work);
        ctx.status(status).json(tasks.created(task, true));
    }

    // ================================================================ submission

    /**
     * {@code POST /compute/jobs/upload}: the script is written over SFTP, as the user, to
     * {@code <default work dir>/<user>/firecrest/<random id>/<file name>}, and submitted from there.
     */
    private void submitUpload(Context ctx) {
        Target target = target(ctx, "Failed to submit job file");
        Upload upload = uploadedScript(ctx, target.cluster());
        byte[] script = upload.content();
        String fileName = scriptName(upload.name());
        Optional<String> account = V1Request.optional(ctx, "account");
        Map<String, String> environment = environment(ctx);
        String directory = RemotePaths.join(jobsDirectory(target), UUID.randomUUID().toString().replace("-", ""));
        String scriptPath = RemotePaths.join(directory, fileName);
        JobSpec spec = spec(directory, scriptPath, account, environment);
        answer(ctx, 201, target, "submit", () -> {
            files.mkdir(target.cluster(), target.user(), directory, true);
            files.upload(target.cluster(), target.user(), directory, fileName, script.length, new ByteArrayInputStream(script));
            return submit(target, spec, scriptPath);
        });
    }

    /** {@code POST /compute/jobs/path}: a script already on the cluster, run in its own directory. */
    private void submitPath(Context ctx) {
        Target target = target(ctx, "Failed to submit job");
        String scriptPath = V1Request.required(ctx, "targetPath");
        Optional<String> account = V1Request.optional(ctx, "account");
        Map<String, String> environment = environment(ctx);
        // v1 checks that the user can read the script before it creates the task.
        files.head(target.cluster(), target.user(), scriptPath, true, 1, false);
        JobSpec spec = spec(RemotePaths.split(scriptPath)[0], scriptPath, account, environment);
        answer(ctx, 201, target, "submit", () -> submit(target, spec, scriptPath));
    }

    private static JobSpec spec(String directory, String scriptPath, Optional<String> account, Map<String, String> environment) {
        try {
            return new JobSpec(directory, Optional.empty(), Optional.of(scriptPath), Optional.empty(), account,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), environment);
        } catch (IllegalArgumentException e) {
            throw V1Request.invalid(e.getMessage());
        }
    }

    /** Submits, then reads the new job's files from the scheduler (a second look if it has not got the job yet). */
    private Map<String, Object> submit(Target target, JobSpec spec, String scriptPath) throws InterruptedException {
        String jobId = compute.submit(target.cluster(), target.user(), spec);
        Optional<JobFiles> known = ownFiles(target, jobId);
        if (known.isEmpty()) {
            Thread.sleep(500);
            known = ownFiles(target, jobId);
        }
        return V1Tasks.submission(jobId,
                known.flatMap(JobFiles::standardOutput).orElse(NOT_AVAILABLE),
                known.flatMap(JobFiles::standardError).orElse(NOT_AVAILABLE),
                known.flatMap(JobFiles::scriptPath).orElse(scriptPath));
    }

    private Optional<JobFiles> ownFiles(Target target, String jobId) {
        return compute.files(target.cluster(), target.user(), jobId).stream()
                .filter(record -> record.jobId().equals(jobId)).findFirst();
    }

    private record Upload(String name, byte[] content) {}

    /** The script's name and bytes; v1's answers for a missing, unnamed, empty or too large file. */
    private static Upload uploadedScript(Context ctx, ClusterConfig cluster) {
        long limit = cluster.dataOperation().maxOpsFileSize();
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (RuntimeException e) {
            if (MultipartLimits.exceeded(e)) {
                throw V1Request.uploadTooLarge(limit);
            }
            throw V1Request.invalid("Cannot read the multipart/form-data body: " + e.getMessage());
        }
        if (file == null) {
            throw V1Request.invalid("No batch file part");
        }
        if (file.filename() == null || file.filename().isBlank()) {
            throw V1Request.invalid("No batch file selected");
        }
        if (file.size() > limit) {
            throw V1Request.uploadTooLarge(limit);
        }
        try (InputStream content = file.content()) {
            byte[] script = content.readAllBytes();
            if (script.length == 0) {
                throw V1Request.invalid("The batch file is empty");
            }
            return new Upload(file.filename(), script);
        } catch (IOException e) {
            throw new GoldcrestException(ErrorCode.INTERNAL, "Reading the uploaded batch file failed", e);
        }
    }



    /**
     * The uploaded file's name made safe to be a file name: its last path part, with characters
     * other than letters, digits, {@code .}, {@code -} and {@code _} replaced by {@code _}, without
     * leading dots (no hidden file, never {@code ..}).
     */
    static String scriptName(String uploaded) {
        String name = uploaded.substring(Math.max(uploaded.lastIndexOf('/'), uploaded.lastIndexOf('\\')) + 1);
        name = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^\\.+", "");
        return name.isEmpty() ? "script.batch" : name;
    }

    /** {@code <default work dir>/<user>/firecrest}: v1's {@code F7T_COMPUTE_BASE_FS} is the default working file system. */
    private static String jobsDirectory(Target target) {
        List<ClusterConfig.FileSystem> fileSystems = target.cluster().fileSystems();
        String base = fileSystems.stream().filter(ClusterConfig.FileSystem::defaultWorkDir).findFirst()
                .or(() -> fileSystems.stream().findFirst())
                .map(ClusterConfig.FileSystem::path)
                .orElseThrow(() -> V1Request.invalid("The system has no file system for job scripts"));
        return RemotePaths.join(RemotePaths.join(base, target.user()), "firecrest");
    }

    /**
     * {@code env}: a JSON object of variables added to the job's environment (sbatch
     * {@code --export=ALL,K=V}, without Slurm's splitting at commas). Numbers and booleans are
     * taken as their text. Invalid JSON is a 400 (FirecREST v1 answered 404).
     */
    private static Map<String, String> environment(Context ctx) {
        Optional<String> text = V1Request.param(ctx, "env").filter(value -> !value.isBlank());
        if (text.isEmpty()) {
            return Map.of();
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text.get());
        } catch (JsonProcessingException e) {
            throw new V1Failure(ErrorCode.INVALID_PARAMETER, 400, Map.of(), Map.of("description", "Failed to submit job",
                    "error", "Invalid JSON in 'env' variable (" + e.getOriginalMessage() + ")"));
        }
        if (json == null || !json.isObject()) {
            throw new V1Failure(ErrorCode.INVALID_PARAMETER, 400, Map.of(), Map.of("description", "Failed to submit job",
                    "error", "Invalid JSON in 'env' variable (not an object)"));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!value.isValueNode()) {
                throw new V1Failure(ErrorCode.INVALID_PARAMETER, 400, Map.of(), Map.of("description", "Failed to submit job",
                        "error", "Invalid JSON in 'env' variable (the value of " + field.getKey() + " is not text)"));
            }
            environment.put(field.getKey(), value.isNull() ? "" : value.asText());
        }
        return environment;
    }

    // ================================================================ queued jobs

    /** v1's page of a listing; numbers count from 0. */
    private record Page(int size, int number) {}

    private void listJobs(Context ctx) {
        Target target = target(ctx, "Failed to retrieve jobs information");
        List<String> jobIds = jobIds(ctx);
        boolean userJobs = V1Request.param(ctx, "userJobs").map(V1Request::isTrue).orElse(true);
        Optional<Page> page = page(ctx);
        answer(ctx, 200, target, "jobs", () -> queued(target, jobIds, userJobs, page));
    }

    /** {@code GET /compute/jobs/{jobid}}: the same listing for one id (whose task FirecREST v1 never finished). */
    private void getJob(Context ctx) {
        Target target = target(ctx, "Failed to retrieve job information");
        String jobId = ctx.pathParam("jobid");
        if (!AccountingQuery.isJobId(jobId)) {
            throw V1Request.invalid("Invalid job id '" + jobId + "'");
        }
        answer(ctx, 200, target, "job", () -> queued(target, List.of(jobId), true, Optional.empty()));
    }

    /**
     * The user's (or with {@code userJobs=false} everyone's) jobs that have not ended, as
     * {@code {"0": job, "1": job...}}; the user's own listing adds each job's files and the last
     * {@value #TAIL_BYTES} bytes of its output files.
     */
    private Map<String, Object> queued(Target target, List<String> jobIds, boolean userJobs, Optional<Page> page) {
        List<Job> jobs = compute.jobs(target.cluster(), target.user(), new JobQuery(!userJobs, Optional.empty(),
                        Optional.empty(), HistoryWindow.HOUR)).stream()
                .filter(job -> isQueued(job.status().state()))
                .filter(job -> jobIds.isEmpty() || jobIds.stream().anyMatch(id -> selects(id, job)))
                .toList();
        List<Job> shown = page.map(wanted -> page(jobs, wanted)).orElse(jobs);
        List<V1ComputeDtos.Files> jobFiles = userJobs ? files(target, shown) : shown.stream().map(job -> V1ComputeDtos.Files.NONE).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        for (int index = 0; index < shown.size(); index++) {
            data.put(Integer.toString(index), V1ComputeDtos.queued(shown.get(index), jobFiles.get(index)));
        }
        return data;
    }

    /** Whether squeue lists a job in this state by default (pending, running, suspended, completing...). */
    static boolean isQueued(JobState state) {
        return switch (state) {
            case PENDING, RUNNING, SUSPENDED, COMPLETING, CONFIGURING, RESIZING, REQUEUED, REQUEUE_FED, REQUEUE_HOLD,
                 SPECIAL_EXIT, STOPPED, RESV_DEL_HOLD, SIGNALING, STAGE_OUT, POWER_UP_NODE, UPDATE_DB, UNKNOWN -> true;
            case COMPLETED, CANCELLED, FAILED, TIMEOUT, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE, OUT_OF_MEMORY,
                 REVOKED, LAUNCH_FAILED, RECONFIG_FAIL -> false;
        };
    }

    private static final Pattern ARRAY_TASK = Pattern.compile("(\\d+)_(\\d+)");
    private static final Pattern ARRAY_RANGE = Pattern.compile("(\\d+)_\\[(\\d+)-(\\d+)]");

    /**
     * Whether a v1 job id selects the job, as squeue's {@code --jobs} does: a plain id its job or
     * every task of its array, {@code 12_3} that task, {@code 12_[1-4]} those tasks, {@code 12+1}
     * that component of a heterogeneous job (or the whole job, which Goldcrest lists as one).
     */
    static boolean selects(String id, Job job) {
        Matcher task = ARRAY_TASK.matcher(id);
        if (task.matches()) {
            long index = Long.parseLong(task.group(2));
            return job.arrayJobId().equals(Optional.of(task.group(1))) && job.arrayTaskId().filter(tasks -> covers(tasks, index, index)).isPresent();
        }
        Matcher range = ARRAY_RANGE.matcher(id);
        if (range.matches()) {
            long first = Long.parseLong(range.group(2));
            long last = Long.parseLong(range.group(3));
            return job.arrayJobId().equals(Optional.of(range.group(1))) && job.arrayTaskId().filter(tasks -> covers(tasks, first, last)).isPresent();
        }
        int plus = id.indexOf('+');
        String base = plus < 0 ? id : id.substring(0, plus);
        return job.jobId().equals(id) || job.jobId().equals(base) || job.arrayJobId().equals(Optional.of(base));
    }

    /** Whether Slurm's task list ({@code 3}, {@code 4-9}, {@code 1,3,5-7}, {@code 2-8%2}) has a task in {@code first..last}. */
    private static boolean covers(String tasks, long first, long last) {
        String list = tasks.replaceAll("%\\d+$", "");
        for (String part : list.split(",")) {
            String[] ends = part.split("-", 2);
            try {
                long low = Long.parseLong(ends[0].strip());
                long high = ends.length == 2 ? Long.parseLong(ends[1].replaceAll(":\\d+$", "").strip()) : low;
                if (low <= last && first <= high) {
                    return true;
                }
            } catch (NumberFormatException notATaskList) {
                return false;
            }
        }
        return false;
    }

    /**
     * Each job's files from the scheduler and the ends of its output files (none for a pending job,
     * which has not written any), looked up for a few jobs at a time.
     */
    private List<V1ComputeDtos.Files> files(Target target, List<Job> jobs) {
        List<V1ComputeDtos.Files> found = new ArrayList<>();
        for (int start = 0; start < jobs.size(); start += FILE_LOOKUPS_AT_ONCE) {
            List<CompletableFuture<V1ComputeDtos.Files>> lookups = jobs.subList(start, Math.min(jobs.size(), start + FILE_LOOKUPS_AT_ONCE))
                    .stream().map(job -> Concurrently.start(() -> files(target, job))).toList();
            lookups.forEach(lookup -> found.add(Concurrently.join(lookup)));
        }
        return found;
    }

    private V1ComputeDtos.Files files(Target target, Job job) {
        Optional<JobFiles> known;
        try {
            known = ownFiles(target, job.jobId());
        } catch (GoldcrestException e) {
            // The job left the controller between the listing and this lookup: shown without its files.
            known = Optional.empty();
        }
        String output = known.flatMap(JobFiles::standardOutput).orElse("");
        String error = known.flatMap(JobFiles::standardError).orElse("");
        boolean started = job.status().state() != JobState.PENDING;
        String outputTail = started ? tail(target, output) : "";
        String errorTail = !started ? "" : error.equals(output) ? outputTail : tail(target, error);
        return new V1ComputeDtos.Files(output, error, known.flatMap(JobFiles::scriptPath).orElse(""), outputTail, errorTail);
    }

    /** The last bytes of a file, or nothing when it cannot be read (not written yet, not the user's...). */
    private String tail(Target target, String path) {
        if (path.isEmpty()) {
            return "";
        }
        try {
            return files.tail(target.cluster(), target.user(), path, true, TAIL_BYTES, false).content();
        } catch (GoldcrestException e) {
            return "";
        }
    }

    // ================================================================ cancel

    /** {@code DELETE /compute/jobs/{jobid}}: scancel; its words are the task's data. */
    private void cancelJob(Context ctx) {
        Target target = target(ctx, "Failed to delete job");
        String jobId = ctx.pathParam("jobid");
        if (!JobIds.isValid(jobId) && !AccountingQuery.isJobId(jobId)) {
            throw V1Request.invalid("Invalid job id '" + jobId + "'");
        }
        answer(ctx, 200, target, "cancel", () -> {
            try {
                return compute.cancel(target.cluster(), target.user(), jobId);
            } catch (GoldcrestException e) {
                throw cancelFailure(e);
            }
        });
    }

    /** scancel's refusal in v1's words: the permission text clients know, else what follows {@code error:}. */
    static GoldcrestException cancelFailure(GoldcrestException failure) {
        String message = failure.getMessage();
        if (message.contains("Access/permission denied")) {
            return new GoldcrestException(ErrorCode.PATH_PERMISSION_DENIED, "User does not have permission to cancel job");
        }
        Matcher error = SCANCEL_ERROR.matcher(message);
        if (error.find()) {
            return new GoldcrestException(failure.code(), error.group(1).strip());
        }
        return failure;
    }

    // ================================================================ accounting

    /**
     * {@code GET /compute/acct}: the user's allocations from accounting; a start or end time in none
     * of Slurm's forms is ignored, as in FirecREST v1.
     */
    private void accounting(Context ctx) {
        Target target = target(ctx, "Failed to retrieve account information");
        Optional<String> startTime = V1Request.optional(ctx, "starttime").filter(AccountingQuery::isTime);
        Optional<String> endTime = V1Request.optional(ctx, "endtime").filter(AccountingQuery::isTime);
        AccountingQuery query = new AccountingQuery(startTime, endTime, jobIds(ctx));
        Optional<Page> page = page(ctx);
        answer(ctx, 200, target, "acct", () -> {
            List<V1ComputeDtos.JobAcct> jobs = compute.accounting(target.cluster(), target.user(), query).stream()
                    .map(V1ComputeDtos::accounted).toList();
            List<V1ComputeDtos.JobAcct> shown = page.map(wanted -> page(jobs, wanted)).orElse(jobs);
            // v1 answers an empty object, not an empty list, when there is nothing (pyfirecrest expects it).
            return shown.isEmpty() ? Map.of() : shown;
        });
    }

    /** {@code jobs}: a comma-separated list of job ids, array tasks or ranges, heterogeneous components. */
    private static List<String> jobIds(Context ctx) {
        Optional<String> text = V1Request.optional(ctx, "jobs");
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> ids = Arrays.stream(text.get().split(",", -1)).map(String::strip).toList();
        for (String id : ids) {
            if (!AccountingQuery.isJobId(id)) {
                throw V1Request.invalid("Jobs list wrong format ('" + id + "' is not a job id)");
            }
        }
        return ids;
    }

    /** Paging only when {@code pageSize} or {@code pageNumber} is given: 25 jobs a page, page 0 first. */
    private static Optional<Page> page(Context ctx) {
        Optional<String> size = V1Request.optional(ctx, "pageSize");
        Optional<String> number = V1Request.optional(ctx, "pageNumber");
        if (size.isEmpty() && number.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Page(number(size, "pageSize", 25, 1), number(number, "pageNumber", 0, 0)));
    }

    private static int number(Optional<String> text, String name, int fallback, int least) {
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get().strip());
            if (value >= least) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw V1Request.invalid("'" + name + "' must be an integer of at least " + least + " (value entered: '" + text.get() + "')");
    }

    /** @throws GoldcrestException v1's task error when the page is past the last one */
    private static <T> List<T> page(List<T> all, Page page) {
        if (all.isEmpty()) {
            return all;
        }
        int pages = (all.size() + page.size() - 1) / page.size();
        if (page.number() >= pages) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER,
                    "pageNumber (" + page.number() + ") is greater than total pages (" + pages + ")");
        }
        int from = page.number() * page.size();
        return all.subList(from, Math.min(all.size(), from + page.size()));
    }

    // ================================================================ nodes, partitions, reservations

    private void nodes(Context ctx) {
        Target target = target(ctx, "Failed to retrieve nodes information");
        nodes(ctx, target, names(ctx, "nodes"));
    }

    private void node(Context ctx) {
        Target target = target(ctx, "Failed to retrieve node information");
        nodes(ctx, target, List.of(ctx.pathParam("nodeName")));
    }

    /** As {@code scontrol show nodes a,b}: a name the scheduler does not know fails the whole task. */
    private void nodes(Context ctx, Target target, List<String> names) {
        answer(ctx, 200, target, "nodes", () -> {
            List<Node> nodes = status.nodes(target.cluster().name(), target.user());
            Set<String> known = new HashSet<>();
            nodes.forEach(node -> known.add(node.name()));
            for (String name : names) {
                if (!known.contains(name)) {
                    throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "Node " + name + " not found");
                }
            }
            return nodes.stream().filter(node -> names.isEmpty() || names.contains(node.name()))
                    .map(V1ComputeDtos::node).toList();
        });
    }

    /** Every partition, hidden ones too ({@code scontrol -a}), narrowed to the names asked for. */
    private void partitions(Context ctx) {
        Target target = target(ctx, "Failed to retrieve partitions information");
        List<String> names = names(ctx, "partitions");
        answer(ctx, 200, target, "partitions", () -> status.partitions(target.cluster().name(), target.user(), true).stream()
                .filter(partition -> names.isEmpty() || names.contains(partition.name()))
                .map(V1ComputeDtos::partition).toList());
    }

    private void reservations(Context ctx) {
        Target target = target(ctx, "Failed to retrieve reservations information");
        List<String> names = names(ctx, "reservations");
        answer(ctx, 200, target, "reservations", () -> status.reservations(target.cluster().name(), target.user()).stream()
                .filter(reservation -> names.isEmpty() || names.contains(reservation.name()))
                .map(V1ComputeDtos::reservation).toList());
    }

    private static List<String> names(Context ctx, String parameter) {
        return V1Request.optional(ctx, parameter)
                .map(text -> Arrays.stream(text.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList())
                .orElse(List.of());
    }
}
