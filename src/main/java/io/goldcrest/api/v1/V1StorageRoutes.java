package io.goldcrest.api.v1;

import io.goldcrest.api.Access;
import io.goldcrest.api.V1Failure;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.filesystem.Compression;
import io.goldcrest.status.ServiceHealth.ServiceType;
import io.goldcrest.storage.Transfer;
import io.goldcrest.storage.TransferJob;
import io.goldcrest.storage.TransferOptions;
import io.goldcrest.tasks.Task;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * FirecREST v1's {@code /storage} routes, a view of the transfer service: internal transfers are
 * its jobs (v1's task is done once the job is submitted), and external transfers are its staged
 * uploads and downloads, followed by the same task watcher as v2's.
 *
 * <p>Unlike FirecREST v1, internal transfers check their paths by the file-system rules v2's
 * transfers follow, and extract reads both {@code type} and the {@code extension} pyfirecrest sends.
 */
final class V1StorageRoutes {
    private static final List<String> INTERNAL = List.of("rsync", "mv", "cp", "rm", "compress", "extract");
    /** Failures of a submission itself, which v1 reports with {@code X-Sbatch-Error}. */
    private static final Set<ErrorCode> SUBMISSION_FAILURES = Set.of(ErrorCode.JOB_REJECTED, ErrorCode.JOB_LIMIT_EXCEEDED,
            ErrorCode.SCHEDULER_ERROR, ErrorCode.REMOTE_COMMAND_FAILED, ErrorCode.INVALID_PARAMETER);
    // Goldcrest's task ids are UUIDs; FirecREST v1's were hex digests (hence its "alphanumeric" rule).
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final V1Services services;

    V1StorageRoutes(V1Services services) {
        this.services = services;
    }

    void register(Javalin app, String prefix) {
        for (String operation : INTERNAL) {
            app.post(prefix + "/storage/xfer-internal/" + operation, ctx -> internal(ctx, operation), Access.AUTHENTICATED);
        }
        app.post(prefix + "/storage/xfer-external/upload", this::upload, Access.AUTHENTICATED);
        app.post(prefix + "/storage/xfer-external/download", this::download, Access.AUTHENTICATED);
        app.post(prefix + "/storage/xfer-external/invalidate", this::invalidate, Access.AUTHENTICATED);
    }

    // ------------------------------------------------------------------ internal transfers

    private void internal(Context ctx, String operation) {
        V1Request.describe(ctx, "Error on " + operation + " operation");
        ClusterConfig cluster = V1Request.system(ctx, services.config(), true);
        String user = V1Request.user(ctx);
        String target = checkedPath(cluster, V1Request.required(ctx, "targetPath"));
        Optional<String> source = operation.equals("rm") ? Optional.empty()
                : Optional.of(checkedPath(cluster, V1Request.required(ctx, "sourcePath")));
        Optional<String> account = V1Request.optional(ctx, "account");
        TransferOptions options = new TransferOptions(
                Optional.of(V1Request.optional(ctx, "jobName").orElse(operation + "-job")), account,
                V1Request.optional(ctx, "time"), V1Request.optional(ctx, "stageOutJobId"));
        TransferJob job = switch (operation) {
            case "rsync" -> new TransferJob.Rsync(source.orElseThrow(), target);
            case "mv" -> new TransferJob.Move(source.orElseThrow(), target);
            case "cp" -> new TransferJob.Copy(source.orElseThrow(), target, false);
            case "rm" -> new TransferJob.Delete(target);
            case "compress" -> new TransferJob.Compress(source.orElseThrow(), target, Optional.empty(),
                    V1Request.flag(ctx, "dereference"), Compression.GZIP);
            case "extract" -> extraction(source.orElseThrow(), target, archiveType(ctx));
            default -> throw new IllegalArgumentException(operation);
        };
        services.status().requireHealthy(cluster, ServiceType.SCHEDULER);
        Transfer transfer;
        try {
            transfer = services.transfers().submit(cluster, user, job, account, options);
        } catch (GoldcrestException e) {
            if (!SUBMISSION_FAILURES.contains(e.code())) {
                throw e;
            }
            throw new V1Failure(e.code(), 400, Map.of("X-Sbatch-Error", e.getMessage()), Map.of("error", e.getMessage()));
        }
        ctx.status(201).json(services.tasks().created(task(transfer), false));
    }

    /** v1's {@code type}, or pyfirecrest's {@code extension} (which FirecREST v1 ignored); {@code auto} when neither says more. */
    private static String archiveType(Context ctx) {
        return V1Request.optional(ctx, "type").filter(type -> !isAuto(type))
                .or(() -> V1Request.optional(ctx, "extension"))
                .orElse("auto");
    }

    private static boolean isAuto(String type) {
        return type.strip().equalsIgnoreCase("auto");
    }

    /**
     * FirecREST v1's extraction by archive type: {@code auto} goes by the source's name. Accepted
     * with or without the leading dot: zip, tar, gz/tgz/tar.gz, bz2/tbz2/tar.bz2, and xz/txz/tar.xz.
     */
    static TransferJob extraction(String source, String target, String type) {
        String kind = type.strip().toLowerCase(Locale.ROOT);
        if (kind.equals("auto")) {
            String name = source.toLowerCase(Locale.ROOT);
            int dot = name.lastIndexOf('.');
            kind = dot < 0 || name.lastIndexOf('/') > dot ? "" : name.substring(dot + 1);
        }
        kind = kind.startsWith(".") ? kind.substring(1) : kind;
        return switch (kind) {
            case "zip" -> new TransferJob.Unzip(source, target);
            case "tar", "none" -> new TransferJob.Extract(source, target, Compression.NONE);
            case "gz", "tgz", "tar.gz", "gzip" -> new TransferJob.Extract(source, target, Compression.GZIP);
            case "bz2", "tbz2", "tbz", "tar.bz2", "bzip2" -> new TransferJob.Extract(source, target, Compression.BZIP2);
            case "xz", "txz", "tar.xz" -> new TransferJob.Extract(source, target, Compression.XZ);
            default -> throw V1Request.invalid("Unsupported file format in " + source + ".");
        };
    }

    /** v2's path rules (absolute, under a configured file system), answered as v1 answers an invalid path. */
    private String checkedPath(ClusterConfig cluster, String path) {
        try {
            services.files().checkPath(cluster, path)
                    .ifPresent(fileSystem -> services.status().requireHealthyFileSystem(cluster, fileSystem.path()));
        } catch (GoldcrestException e) {
            if (e.code() != ErrorCode.INVALID_PARAMETER) {
                throw e;
            }
            // v1 reports a path it cannot use with X-Invalid-Path
            throw new GoldcrestException(ErrorCode.PATH_NOT_FOUND, e.getMessage());
        }
        return path;
    }

    // ------------------------------------------------------------------ external transfers

    /** The client PUTs its file to the URL the task shows at status 111; a job then moves it into place. */
    private void upload(Context ctx) {
        V1Request.describe(ctx, "Error on upload operation");
        ClusterConfig cluster = V1Request.system(ctx, services.config(), true);
        String user = V1Request.user(ctx);
        String source = V1Request.required(ctx, "sourcePath");
        String target = absolute(V1Request.required(ctx, "targetPath"));
        requireTransfers(cluster);
        Transfer transfer = services.transfers().uploadObject(cluster, user, target, source, V1Request.optional(ctx, "account"));
        ctx.status(201).json(services.tasks().created(task(transfer), true));
    }

    /** A job uploads the file to staging; the task shows its presigned URL at status 117. */
    private void download(Context ctx) {
        V1Request.describe(ctx, "Error on download operation");
        ClusterConfig cluster = V1Request.system(ctx, services.config(), true);
        String user = V1Request.user(ctx);
        String source = absolute(V1Request.required(ctx, "sourcePath"));
        requireTransfers(cluster);
        services.transfers().requireReadable(cluster, user, source);
        Transfer transfer = services.transfers().download(cluster, user, source, V1Request.optional(ctx, "account"));
        ctx.status(201).json(services.tasks().created(task(transfer), true));
    }

    /** Needs no {@code X-Machine-Name}, as in FirecREST v1: the task knows its system. */
    private void invalidate(Context ctx) {
        V1Request.describe(ctx, "Error on invalidate operation");
        String user = V1Request.user(ctx);
        String taskId = Optional.ofNullable(ctx.header("X-Task-Id")).map(String::strip).filter(id -> !id.isEmpty())
                .orElseThrow(() -> invalidateFailure("Header X-Task-Id missing"));
        if (!TASK_ID.matcher(taskId).matches()) {
            throw invalidateFailure("Header X-Task-Id is not a valid task id");
        }
        try {
            services.transfers().invalidate(user, taskId);
        } catch (GoldcrestException e) {
            if (e.code() == ErrorCode.TASK_NOT_FOUND) {
                throw invalidateFailure("Invalid X-Task-Id");
            }
            throw e;
        }
        ctx.status(201).json(Map.of("success", "URL invalidated successfully"));
    }

    private static V1Failure invalidateFailure(String message) {
        return new V1Failure(ErrorCode.INVALID_PARAMETER, 400, Map.of(), Map.of("error", message));
    }

    private void requireTransfers(ClusterConfig cluster) {
        services.status().requireHealthy(cluster, ServiceType.SCHEDULER);
        services.status().requireHealthy(cluster, ServiceType.SSH);
    }

    /** A path on the cluster must be absolute: the checks and the job would read a relative one from different directories. */
    private static String absolute(String path) {
        if (!path.startsWith("/")) {
            throw new GoldcrestException(ErrorCode.PATH_NOT_FOUND, "The provided path (" + path + ") is not an absolute path.");
        }
        return path;
    }

    private Task task(Transfer transfer) {
        return services.tasks().service().find(transfer.taskId()).orElseThrow(() ->
                new GoldcrestException(ErrorCode.TASK_STORE_UNAVAILABLE, "The task " + transfer.taskId() + " was not recorded."));
    }
}
