package io.goldcrest.storage;

import io.goldcrest.compute.ComputeService;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.ClusterConfig.S3Transfer;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.filesystem.RemotePaths;
import io.goldcrest.scheduler.JobSpec;
import io.goldcrest.ssh.FileAttributes;
import io.goldcrest.ssh.RemoteFileException;
import io.goldcrest.ssh.SshPool;
import io.goldcrest.tasks.Progress;
import io.goldcrest.tasks.Task;
import io.goldcrest.tasks.TaskFollower;
import io.goldcrest.tasks.TaskService;
import io.goldcrest.tasks.TaskState;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfer service: file operations too long for a request (mv, cp, rm, compress, extract) and
 * transfers in and out of the cluster through S3 staging, each run as a scheduler job of the user on
 * the cluster's transfer partition (its {@code datatransfer_jobs_directives}) and recorded as a task.
 * As the follower of its tasks it reports staging progress and cleans staging up when a job ends.
 */
public final class TransferService implements TaskFollower {
    public static final String SERVICE = "transfer";
    private static final Logger LOG = LoggerFactory.getLogger(TransferService.class);
    // FirecREST's job environment; clients and sites may rely on it.
    private static final Map<String, String> JOB_ENVIRONMENT = Map.of("PATH", "/bin:/usr/bin/:/usr/local/bin/");
    private static final int ERROR_TAIL_BYTES = 2048;

    private final List<ClusterConfig> clusters;
    private final SshPool pool;
    private final ComputeService compute;
    private final Map<String, Staging> stagings;
    private final TaskService tasks;
    private final Clock clock;

    /**
     * @param clusters the configured clusters, where the jobs of tasks run
     * @param stagings the S3 staging of each cluster that has one, by cluster name
     */
    public TransferService(List<ClusterConfig> clusters, SshPool pool, ComputeService compute, Map<String, Staging> stagings,
                           TaskService tasks, Clock clock) {
        this.clusters = List.copyOf(clusters);
        this.pool = pool;
        this.compute = compute;
        this.stagings = Map.copyOf(stagings);
        this.tasks = tasks;
        this.clock = clock;
    }

    /** Submits an internal transfer (mv, cp, rsync, rm, compress, extract). */
    public Transfer submit(ClusterConfig cluster, String user, TransferJob job, Optional<String> account) {
        return submit(cluster, user, job, account, TransferOptions.NONE);
    }

    /** The same, with the job name, time limit and dependency a FirecREST v1 client may choose. */
    public Transfer submit(ClusterConfig cluster, String user, TransferJob job, Optional<String> account, TransferOptions options) {
        return submit(cluster, user, job, account, options, Map.of(), Map.of(), Optional.empty(), Optional.empty());
    }

    /**
     * Opens a multipart upload of {@code fileSize} bytes in the user's staging bucket and submits the
     * job that moves the object to {@code path} once the client has completed it.
     */
    public Transfer upload(ClusterConfig cluster, String user, String path, Optional<String> account, long fileSize) {
        Staging staging = staging(cluster);
        S3Transfer settings = s3(cluster);
        staging.ensureBucket(user);
        StagedUpload staged = staging.startUpload(user, RemotePaths.split(path)[1], fileSize);
        long deadline = clock.instant().plusSeconds(settings.ttlSeconds()).getEpochSecond();
        TransferJob job = new TransferJob.Ingress(path, staged.headUrl(), staged.getUrl(), deadline,
                cluster.stagingPollInterval().toSeconds());
        try {
            return submit(cluster, user, job, account, TransferOptions.NONE, Map.of("targetPath", path, "fileSize", fileSize),
                    stagingContext(staged.object(), staged.uploadId(), fileSize), Optional.of(staged), Optional.empty());
        } catch (RuntimeException e) {
            // Nothing half-done: a job that was never submitted leaves no open upload behind.
            staging.abort(staged.object(), staged.uploadId());
            throw e;
        }
    }

    /**
     * FirecREST v1's upload: the client sends the file to staging in one presigned PUT, and the same
     * job as {@link #upload} moves it into place. The target is checked first, as v1 does: that it
     * is in a directory the user can create files in.
     *
     * @param targetPath an existing directory, where the file keeps the client's file name, or the
     *     path of the file itself
     * @param clientPath the file's path on the client; its last segment names the file
     * @throws GoldcrestException {@code PATH_NOT_FOUND} or {@code PATH_PERMISSION_DENIED} when the
     *     target's directory is missing or not writable, {@code INVALID_PARAMETER} when the client's
     *     path names no file
     */
    public Transfer uploadObject(ClusterConfig cluster, String user, String targetPath, String clientPath, Optional<String> account) {
        Staging staging = staging(cluster);
        S3Transfer settings = s3(cluster);
        String fileName = clientPath.substring(clientPath.lastIndexOf('/') + 1);
        if (fileName.isEmpty() || fileName.equals(".") || fileName.equals("..") || fileName.indexOf('\0') >= 0) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "The source path (" + clientPath + ") does not end in a file name.");
        }
        String target = writableTarget(cluster, user, targetPath, fileName);
        StagedPut staged = staging.startPut(user, fileName);
        long deadline = clock.instant().plusSeconds(settings.ttlSeconds()).getEpochSecond();
        TransferJob job = new TransferJob.Ingress(target, staged.headUrl(), staged.getUrl(), deadline,
                cluster.stagingPollInterval().toSeconds());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("targetPath", target);
        result.put("clientPath", clientPath);
        result.put("uploadUrl", staged.putUrl().toString());
        // No object exists until the client sends it, so a failed submission leaves nothing behind.
        return submit(cluster, user, job, account, TransferOptions.NONE, result,
                Map.of("bucket", staged.object().bucket(), "key", staged.object().key()), Optional.empty(), Optional.empty());
    }

    /**
     * Where an upload to {@code targetPath} lands, once a file could be created (and removed again)
     * in its directory as the user, which is how FirecREST v1 checks a target.
     */
    private String writableTarget(ClusterConfig cluster, String user, String targetPath, String fileName) {
        return pool.runner(cluster.name(), user).files(files -> {
            String directory;
            String target;
            try {
                if (files.stat(targetPath).isDirectory()) {
                    directory = targetPath;
                    target = RemotePaths.join(targetPath, fileName);
                } else {
                    directory = RemotePaths.split(targetPath)[0];
                    target = targetPath;
                }
            } catch (RemoteFileException e) {
                if (e.reason() != RemoteFileException.Reason.NO_SUCH_FILE) {
                    throw targetFailure(targetPath, e);
                }
                directory = RemotePaths.split(targetPath)[0];
                target = targetPath;
            }
            String probe = RemotePaths.join(directory, ".goldcrest-probe-" + UUID.randomUUID());
            try {
                files.write(probe, InputStream.nullInputStream());
            } catch (RemoteFileException e) {
                throw targetFailure(directory, e);
            }
            try {
                files.remove(probe);
            } catch (RemoteFileException e) {
                LOG.warn("upload check: cannot remove {}: {}", probe, e.getMessage());
            }
            return target;
        });
    }

    private static GoldcrestException targetFailure(String path, RemoteFileException e) {
        return switch (e.reason()) {
            case NO_SUCH_FILE -> new GoldcrestException(ErrorCode.PATH_NOT_FOUND, path + " is an invalid path.");
            case PERMISSION_DENIED -> new GoldcrestException(ErrorCode.PATH_PERMISSION_DENIED, "Permission denied: " + path);
            case FAILURE, UNSUPPORTED, BAD_MESSAGE -> new GoldcrestException(ErrorCode.INVALID_PARAMETER,
                    "The target " + path + " cannot be written: " + e.getMessage());
        };
    }

    /**
     * Checks the source is a readable regular file (following links, as the job will), opens a
     * multipart upload sized for it, and submits the job that uploads it.
     */
    public Transfer download(ClusterConfig cluster, String user, String path, Optional<String> account) {
        Staging staging = staging(cluster);
        S3Transfer settings = s3(cluster);
        long size = sourceSize(cluster, user, path);
        staging.ensureBucket(user);
        StagedDownload staged = staging.startDownload(user, RemotePaths.split(path)[1], size);
        String workDir = workingDirectory(cluster, user);
        String tmpFolder = settings.multipart().tmpFolder();
        String tmp = tmpFolder.startsWith("/") ? tmpFolder : RemotePaths.join(workDir, tmpFolder);
        TransferJob job = new TransferJob.Egress(path, staged.partUrls(), staged.completeUrl(), staged.partSize(),
                settings.multipart().parallelRuns(), tmp);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sourcePath", path);
        result.put("fileSize", size);
        result.put("downloadUrl", staged.downloadUrl().toString());
        try {
            return submit(cluster, user, job, account, TransferOptions.NONE, result, stagingContext(staged.object(), staged.uploadId(), size),
                    Optional.empty(), Optional.of(staged.downloadUrl()));
        } catch (RuntimeException e) {
            staging.abort(staged.object(), staged.uploadId());
            throw e;
        }
    }

    /**
     * Opens the source for reading as the user, as FirecREST v1 checks a download's source before it
     * creates the task: a file the user may see but not read is refused here, not by a failed job.
     * Only a regular file is opened (opening a FIFO would wait for a writer); {@link #download}
     * refuses a directory, and the job anything else that is not a regular file.
     *
     * @throws GoldcrestException {@code PATH_NOT_FOUND}, {@code PATH_PERMISSION_DENIED}, or
     *     {@code INVALID_PARAMETER} for a path that cannot be read for another reason
     */
    public void requireReadable(ClusterConfig cluster, String user, String path) {
        try {
            pool.runner(cluster.name(), user).files(files ->
                    files.stat(path).isRegularFile() ? files.read(path, 0, 0, OutputStream.nullOutputStream()) : 0L);
        } catch (RemoteFileException e) {
            throw switch (e.reason()) {
                case NO_SUCH_FILE -> new GoldcrestException(ErrorCode.PATH_NOT_FOUND, path + " is an invalid path.");
                case PERMISSION_DENIED -> new GoldcrestException(ErrorCode.PATH_PERMISSION_DENIED, "Permission denied: " + path);
                case FAILURE, UNSUPPORTED, BAD_MESSAGE -> new GoldcrestException(ErrorCode.INVALID_PARAMETER,
                        "The file " + path + " cannot be read: " + e.getMessage());
            };
        }
    }

    private Transfer submit(ClusterConfig cluster, String user, TransferJob job, Optional<String> account,
                            TransferOptions options, Map<String, Object> extraResult, Map<String, String> extraContext,
                            Optional<StagedUpload> upload, Optional<URI> downloadUrl) {
        String workDir = workingDirectory(cluster, user);
        String id = UUID.randomUUID().toString();
        String outputLog = RemotePaths.join(workDir, ".f7t_file_handling_job_" + id + ".log");
        String errorLog = RemotePaths.join(workDir, ".f7t_file_handling_job_error_" + id + ".log");
        List<String> directives = new ArrayList<>(cluster.dataOperation().transferJobDirectives());
        // after the site's own, so that the client's time limit is the one that counts
        directives.addAll(options.directives(cluster.scheduler().type()));
        String script = TransferScript.render(directives, account, job);
        JobSpec spec = new JobSpec(workDir, Optional.of(script), Optional.empty(), Optional.of(options.jobName().orElse(job.jobName())),
                options.account(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("/dev/null"),
                Optional.of(outputLog), Optional.of(errorLog), JOB_ENVIRONMENT);
        String jobId = compute.submit(cluster, user, spec);

        Map<String, Object> logs = new LinkedHashMap<>();
        logs.put("outputLog", outputLog);
        logs.put("errorLog", errorLog);
        Map<String, Object> transferJob = new LinkedHashMap<>();
        transferJob.put("jobId", jobId);
        transferJob.put("system", cluster.name());
        transferJob.put("workingDirectory", workDir);
        transferJob.put("logs", logs);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("transferJob", transferJob);
        result.putAll(extraResult);
        Map<String, String> context = new LinkedHashMap<>(extraContext);
        context.put("outputLog", outputLog);
        context.put("errorLog", errorLog);
        Optional<Progress> progress = Optional.ofNullable(context.get("size"))
                .map(size -> new Progress(0, Optional.of(Long.parseLong(size)), "bytes"));
        Task task = tasks.create(user, cluster.name(), SERVICE, job.operation(), Optional.of(jobId), progress, result, context);
        return new Transfer(jobId, cluster.name(), workDir, outputLog, errorLog, task.id(), upload, downloadUrl);
    }

    private static Map<String, String> stagingContext(StagedObject object, String uploadId, long size) {
        return Map.of("bucket", object.bucket(), "key", object.key(), "uploadId", uploadId, "size", Long.toString(size));
    }

    private long sourceSize(ClusterConfig cluster, String user, String path) {
        FileAttributes attributes;
        try {
            attributes = pool.runner(cluster.name(), user).files(files -> files.stat(path));
        } catch (RemoteFileException e) {
            throw switch (e.reason()) {
                case NO_SUCH_FILE -> new GoldcrestException(ErrorCode.PATH_NOT_FOUND, "The file " + path + " does not exist.");
                case PERMISSION_DENIED -> new GoldcrestException(ErrorCode.PATH_PERMISSION_DENIED, "Permission denied: " + path);
                default -> new GoldcrestException(ErrorCode.INVALID_PARAMETER, "The file " + path + " cannot be read: " + e.getMessage());
            };
        }
        if (attributes.isDirectory()) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "The path " + path + " is a directory; only a file can be downloaded.");
        }
        return attributes.size();
    }

    /** {@code <default work dir>/<user>}, as FirecREST runs its transfer jobs. */
    private static String workingDirectory(ClusterConfig cluster, String user) {
        return cluster.fileSystems().stream().filter(ClusterConfig.FileSystem::defaultWorkDir).findFirst()
                .map(fileSystem -> RemotePaths.join(fileSystem.path(), user))
                .orElseThrow(() -> new GoldcrestException(ErrorCode.INTERNAL,
                        "The system " + cluster.name() + " has no file system marked default_work_dir, which transfer jobs run in."));
    }

    private Staging staging(ClusterConfig cluster) {
        Staging staging = stagings.get(cluster.name());
        if (staging == null) {
            throw new GoldcrestException(ErrorCode.TRANSFER_METHOD_UNAVAILABLE, "Requested transfer method is not available.");
        }
        return staging;
    }

    private static S3Transfer s3(ClusterConfig cluster) {
        return cluster.dataOperation().dataTransfer()
                .filter(S3Transfer.class::isInstance).map(S3Transfer.class::cast)
                .orElseThrow(() -> new GoldcrestException(ErrorCode.TRANSFER_METHOD_UNAVAILABLE, "Requested transfer method is not available."));
    }

    // ------------------------------------------------------------------ invalidating

    /**
     * FirecREST v1's invalidate: ends an external transfer of the user's for good. Its job is
     * cancelled if it has not ended, its staged object (and any open multipart upload) deleted, so
     * its presigned URLs find nothing, and the task is forgotten.
     *
     * @throws GoldcrestException {@code TASK_NOT_FOUND} when the user has no upload or download task
     *     with this id (another user's task is not told apart from a missing one), {@code STAGING_UNAVAILABLE}
     *     when the staged object could not be deleted (the task is then kept, so it can be tried again)
     */
    public void invalidate(String user, String taskId) {
        Task task = tasks.find(taskId)
                .filter(found -> found.owner().equals(user) && found.service().equals(SERVICE))
                .filter(found -> found.operation().equals("upload") || found.operation().equals("download"))
                .orElseThrow(() -> new GoldcrestException(ErrorCode.TASK_NOT_FOUND, "No transfer of yours has the id '" + taskId + "'."));
        Optional<ClusterConfig> cluster = clusters.stream().filter(candidate -> candidate.name().equals(task.system())).findFirst();
        if (task.state().isOpen() && task.jobId().isPresent() && cluster.isPresent()) {
            try {
                compute.cancel(cluster.get(), user, task.jobId().get());
            } catch (GoldcrestException e) {
                // It may have ended since the watcher last looked; without its object it fails anyway.
                LOG.info("task {}: cancelling job {} failed: {}", task.id(), task.jobId().get(), e.getMessage());
            }
        }
        Optional<StagedObject> object = stagedObject(task);
        Staging staging = stagings.get(task.system());
        if (object.isPresent() && staging != null) {
            Optional<String> uploadId = Optional.ofNullable(task.context().get("uploadId"));
            if (uploadId.isPresent()) {
                staging.abort(object.get(), uploadId.get());
            }
            staging.delete(object.get());
        }
        tasks.forget(task);
    }

    // ------------------------------------------------------------------ following the tasks

    @Override
    public Optional<Progress> progress(Task task) {
        Optional<StagedObject> object = stagedObject(task);
        Staging staging = stagings.get(task.system());
        if (object.isEmpty() || staging == null) {
            return task.progress();
        }
        Optional<Long> total = task.progress().flatMap(Progress::total);
        Optional<String> uploadId = Optional.ofNullable(task.context().get("uploadId"));
        try {
            // upload: what the client has sent so far; download: what the job has sent so far.
            // A single PUT (v1's upload) has no parts to count: the object is there, whole, or not yet.
            Optional<Long> sent = uploadId.isEmpty() ? staging.size(object.get())
                    : staging.uploadedBytes(object.get(), uploadId.get());
            if (sent.isEmpty() && uploadId.isPresent() && staging.exists(object.get())) {
                sent = total;
            }
            return sent.map(bytes -> new Progress(bytes, total, "bytes")).or(task::progress);
        } catch (GoldcrestException e) {
            return task.progress();
        }
    }

    @Override
    public Task ended(Task task) {
        Task finished = task;
        if (task.state() != TaskState.SUCCEEDED && task.state() != TaskState.CANCELLED) {
            Optional<String> reason = lastErrorLine(task);
            if (task.operation().equals("upload") && reason.filter(line -> line.contains("before its URLs expired")).isPresent()) {
                finished = task.moved(TaskState.EXPIRED, Optional.of("The upload was not completed before its URLs expired."), task.updatedAt());
            } else if (reason.isPresent()) {
                finished = task.moved(task.state(), Optional.of(task.error().orElse("The transfer failed.") + " " + reason.get()),
                        task.updatedAt());
            }
        }
        Optional<Long> total = finished.progress().flatMap(Progress::total);
        // a single PUT has no known total: its progress stays what was last seen in staging
        if (finished.state() == TaskState.SUCCEEDED && total.isPresent()) {
            finished = finished.withProgress(Optional.of(new Progress(total.get(), total, "bytes")), finished.updatedAt());
        }
        cleanUp(finished);
        return finished;
    }

    /**
     * An upload's staged copy is dropped once the job has it (or gave up); a download's object stays
     * for the client to fetch until the bucket's lifecycle rule expires it.
     */
    private void cleanUp(Task task) {
        Optional<StagedObject> object = stagedObject(task);
        Staging staging = stagings.get(task.system());
        if (object.isEmpty() || staging == null) {
            return;
        }
        try {
            boolean upload = task.operation().equals("upload");
            Optional<String> uploadId = Optional.ofNullable(task.context().get("uploadId"));
            if (uploadId.isPresent() && (upload || task.state() != TaskState.SUCCEEDED)) {
                staging.abort(object.get(), uploadId.get());
            }
            if (upload) {
                staging.delete(object.get());
            }
        } catch (GoldcrestException e) {
            LOG.warn("task {}: cleaning up staging object failed: {}", task.id(), e.getMessage());
        }
    }

    private static Optional<StagedObject> stagedObject(Task task) {
        String bucket = task.context().get("bucket");
        String key = task.context().get("key");
        return bucket == null || key == null ? Optional.empty() : Optional.of(new StagedObject(bucket, key));
    }

    /** The last line the job wrote to its error log, read as the task's owner. */
    private Optional<String> lastErrorLine(Task task) {
        String errorLog = task.context().get("errorLog");
        if (errorLog == null) {
            return Optional.empty();
        }
        try {
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            pool.runner(task.system(), task.owner()).files(files -> {
                long size = files.stat(errorLog).size();
                return files.read(errorLog, Math.max(0, size - ERROR_TAIL_BYTES), ERROR_TAIL_BYTES, tail);
            });
            List<String> lines = tail.toString(StandardCharsets.UTF_8).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
