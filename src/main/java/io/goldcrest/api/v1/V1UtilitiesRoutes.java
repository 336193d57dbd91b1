package io.goldcrest.api.v1;

import io.goldcrest.api.Access;
import io.goldcrest.api.MultipartLimits;
import io.goldcrest.api.V1Failure;
import io.goldcrest.api.v1.V1FileDtos.Success;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.filesystem.Compression;
import io.goldcrest.filesystem.Content;
import io.goldcrest.filesystem.FileEntry;
import io.goldcrest.filesystem.FileStat;
import io.goldcrest.filesystem.FilesystemService;
import io.goldcrest.filesystem.ListOptions;
import io.goldcrest.status.ServiceHealth.ServiceType;
import io.goldcrest.status.StatusService;
import io.goldcrest.status.UserIdentity;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * v1's {@code /utilities}: synchronous file operations on the system named by {@code X-Machine-Name},
 * run by the same {@link FilesystemService} as v2's {@code /filesystem} and checked the same way
 * (SSH health, absolute paths under the configured file systems, their health) before any remote work.
 * Commands run under the cluster's {@code command_execution} timeout rather than v1's fixed 5 s; a
 * timeout answers v1's {@code X-Timeout}, on which pyfirecrest falls back to a job for compress and extract.
 */
final class V1UtilitiesRoutes {
    private final GoldcrestConfig config;
    private final StatusService status;
    private final FilesystemService files;

    V1UtilitiesRoutes(V1Services services) {
        this.config = services.config();
        this.status = services.status();
        this.files = services.files();
    }

    void register(Javalin app, String prefix) {
        String base = prefix + "/utilities";
        app.get(base + "/ls", this::ls, Access.AUTHENTICATED);
        app.post(base + "/mkdir", this::mkdir, Access.AUTHENTICATED);
        app.put(base + "/rename", this::rename, Access.AUTHENTICATED);
        app.put(base + "/chmod", this::chmod, Access.AUTHENTICATED);
        app.put(base + "/chown", this::chown, Access.AUTHENTICATED);
        app.post(base + "/copy", this::copy, Access.AUTHENTICATED);
        app.post(base + "/compress", this::compress, Access.AUTHENTICATED);
        app.post(base + "/extract", this::extract, Access.AUTHENTICATED);
        app.get(base + "/file", this::file, Access.AUTHENTICATED);
        app.get(base + "/stat", this::stat, Access.AUTHENTICATED);
        app.post(base + "/symlink", this::symlink, Access.AUTHENTICATED);
        app.get(base + "/head", this::head, Access.AUTHENTICATED);
        app.get(base + "/tail", this::tail, Access.AUTHENTICATED);
        app.get(base + "/view", this::view, Access.AUTHENTICATED);
        app.get(base + "/checksum", this::checksum, Access.AUTHENTICATED);
        app.get(base + "/download", this::download, Access.AUTHENTICATED);
        app.post(base + "/upload", this::upload, Access.AUTHENTICATED);
        app.delete(base + "/rm", this::rm, Access.AUTHENTICATED);
        app.get(base + "/whoami", this::whoami, Access.AUTHENTICATED);
    }

    /** Who asks for what on which system; {@code description} heads the error bodies. */
    private record Call(ClusterConfig cluster, String user, String description) {}

    /** The first step of every operation: its error description, then the system (v1 checks it first). */
    private Call call(Context ctx, String operation) {
        String description = "Error on " + operation + " operation";
        V1Request.describe(ctx, description);
        ClusterConfig cluster = V1Request.system(ctx, config, false);
        return new Call(cluster, V1Request.user(ctx), description);
    }

    /**
     * v2's checks, in its order: the system's SSH health, then each path's rules (absolute, under a
     * configured file system) and that file system's health. A path breaking the rules is v1's
     * {@code X-Invalid-Path}.
     */
    private void checkPaths(Call call, String... paths) {
        status.requireHealthy(call.cluster(), ServiceType.SSH);
        for (String path : paths) {
            Optional<ClusterConfig.FileSystem> fileSystem;
            try {
                fileSystem = files.checkPath(call.cluster(), path);
            } catch (GoldcrestException e) {
                throw new V1Failure(e.code(), 400, Map.of("X-Invalid-Path", path + " is an invalid path."),
                        Map.of("description", call.description(), "error", e.getMessage()));
            }
            fileSystem.ifPresent(mounted -> status.requireHealthyFileSystem(call.cluster(), mounted.path()));
        }
    }

    /** v1 reads {@code targetPath} and, for download and stat, {@code sourcePath} when it is absent. */
    private static String targetOrSource(Context ctx) {
        return V1Request.param(ctx, "targetPath").isPresent() ? V1Request.required(ctx, "targetPath") : V1Request.required(ctx, "sourcePath");
    }

    // ---------------------------------------------------------------- listing and reading

    private void ls(Context ctx) {
        Call call = call(ctx, "ls");
        String path = V1Request.required(ctx, "targetPath");
        // v1's unsorted (-1f) and notListing (no -l) are not offered: the answer is always the long listing.
        ListOptions options = new ListOptions(V1Request.flag(ctx, "showhidden") || V1Request.flag(ctx, "showHidden"),
                V1Request.flag(ctx, "numericUid"), V1Request.flag(ctx, "recursive"), V1Request.flag(ctx, "followLinks"));
        checkPaths(call, path);
        List<FileEntry> entries = files.list(call.cluster(), call.user(), path, options);
        List<FileEntry> page = V1FileDtos.page(entries, V1Request.optional(ctx, "pageSize"), V1Request.optional(ctx, "pageNumber"));
        ctx.json(new Success("List of contents", page.stream().map(V1FileDtos::lsFile).toList()));
    }

    private void file(Context ctx) {
        Call call = call(ctx, "file");
        String path = V1Request.required(ctx, "targetPath");
        checkPaths(call, path);
        ctx.json(new Success("Success to file file.", files.fileType(call.cluster(), call.user(), path)));
    }

    private void stat(Context ctx) {
        Call call = call(ctx, "stat");
        String path = targetOrSource(ctx);
        boolean dereference = V1Request.flag(ctx, "dereference");
        checkPaths(call, path);
        ctx.json(new Success("Success to stat file.", V1FileDtos.stat(files.stat(call.cluster(), call.user(), path, dereference))));
    }

    private void checksum(Context ctx) {
        Call call = call(ctx, "checksum");
        String path = V1Request.required(ctx, "targetPath");
        checkPaths(call, path);
        ctx.json(new Success("Success to checksum file.", files.checksum(call.cluster(), call.user(), path)));
    }

    private void head(Context ctx) {
        part(ctx, "head", "skip_ending", files::head);
    }

    private void tail(Context ctx) {
        part(ctx, "tail", "skip_beginning", files::tail);
    }

    /** FilesystemService's head and tail. */
    @FunctionalInterface
    private interface PartReader {
        Content read(ClusterConfig cluster, String user, String path, boolean bytes, long count, boolean skip);
    }

    /**
     * head and tail: {@code bytes} or {@code lines} (never both; 10 lines by default), the skip flag
     * ({@code -N} / {@code +N}) and the {@code grep} filter. The filter is applied here, to the lines the
     * command returned, rather than piped to grep on the cluster: a pipe would report head's own
     * failures (a missing file) as grep's "no match".
     */
    private void part(Context ctx, String operation, String skipName, PartReader reader) {
        Call call = call(ctx, operation);
        String path = V1Request.required(ctx, "targetPath");
        Optional<String> bytes = V1Request.optional(ctx, "bytes");
        Optional<String> lines = V1Request.optional(ctx, "lines");
        if (bytes.isPresent() && lines.isPresent()) {
            throw V1Request.invalid("Can not specify both 'bytes' and 'lines'");
        }
        V1Amount amount = bytes.map(value -> V1Amount.parse("bytes", value))
                .or(() -> lines.map(value -> V1Amount.parse("lines", value)))
                .orElse(V1Amount.TEN_LINES);
        boolean skip = V1Request.flag(ctx, skipName);
        Optional<String> grep = V1Request.optional(ctx, "grep");
        checkPaths(call, path);
        String output = reader.read(call.cluster(), call.user(), path, amount.bytes(), amount.count(), skip).content();
        if (grep.isPresent()) {
            output = V1FileDtos.matchingLines(output, grep.get()).orElseThrow(() -> new V1Failure(ErrorCode.PATH_NOT_FOUND, 404,
                    Map.of("X-Not-Found", "pattern not found"),
                    Map.of("description", call.description() + " with grep", "error", "pattern not found")));
        }
        ctx.json(new Success("Success to " + operation + " file.", output));
    }

    /**
     * The whole file, when it is within {@code max_ops_file_size}. FirecREST v1 answers only its first
     * ten lines here (it runs {@code head}); pyfirecrest's {@code view} promises the content, bounded by
     * that limit, which is what is returned. The description stays v1's.
     */
    private void view(Context ctx) {
        Call call = call(ctx, "view");
        String path = V1Request.required(ctx, "targetPath");
        checkPaths(call, path);
        long limit = call.cluster().dataOperation().maxOpsFileSize();
        FileStat stat = files.stat(call.cluster(), call.user(), path, true);
        if (stat.size() > limit) {
            throw sizeLimit("Failed to view file content");
        }
        ctx.json(new Success("Success to head file.", files.view(call.cluster(), call.user(), path, 0, limit)));
    }

    private void download(Context ctx) {
        Call call = call(ctx, "download");
        String path = targetOrSource(ctx);
        checkPaths(call, path);
        try {
            files.download(call.cluster(), call.user(), path, size -> {
                ctx.status(200);
                ctx.contentType("application/octet-stream");
                ctx.header("Content-Disposition", V1FileDtos.contentDisposition(path));
                ctx.header("Content-Length", Long.toString(size));
                return ctx.res().getOutputStream();
            });
        } catch (GoldcrestException e) {
            if (e.code() == ErrorCode.FILE_TOO_LARGE) {
                throw sizeLimit("Failed to download file");
            }
            throw e;
        }
    }

    private static V1Failure sizeLimit(String description) {
        return new V1Failure(ErrorCode.FILE_TOO_LARGE, 400, Map.of("X-Size-Limit", "File exceeds size limit"),
                Map.of("description", description));
    }

    private void whoami(Context ctx) {
        Call call = call(ctx, "whoami");
        boolean groups = V1Request.flag(ctx, "groups");
        UserIdentity identity = status.identity(call.cluster(), call.user());
        ctx.json(new Success("User information", groups ? V1FileDtos.identity(identity) : identity.user().name()));
    }

    // ---------------------------------------------------------------- changing

    private void mkdir(Context ctx) {
        Call call = call(ctx, "mkdir");
        String path = V1Request.required(ctx, "targetPath");
        // v1 adds -p when the field is present, whatever its value.
        boolean parents = V1Request.param(ctx, "p").isPresent();
        checkPaths(call, path);
        files.mkdir(call.cluster(), call.user(), path, parents);
        ctx.status(201).json(new Success("Success to mkdir file.", ""));
    }

    private void rename(Context ctx) {
        Call call = call(ctx, "rename");
        String target = V1Request.required(ctx, "targetPath");
        String source = V1Request.required(ctx, "sourcePath");
        checkPaths(call, source, target);
        files.move(call.cluster(), call.user(), source, target);
        ctx.json(new Success("Success to rename file.", ""));
    }

    private void copy(Context ctx) {
        Call call = call(ctx, "copy");
        String target = V1Request.required(ctx, "targetPath");
        String source = V1Request.required(ctx, "sourcePath");
        checkPaths(call, source, target);
        files.copy(call.cluster(), call.user(), source, target);
        ctx.status(201).json(new Success("Success to copy file.", ""));
    }

    /** Answers {@code chmod -v}'s line, from the modes before and after. */
    private void chmod(Context ctx) {
        Call call = call(ctx, "chmod");
        String path = V1Request.required(ctx, "targetPath");
        String mode = V1Request.required(ctx, "mode");
        checkPaths(call, path);
        FileStat before = files.stat(call.cluster(), call.user(), path, true);
        files.chmod(call.cluster(), call.user(), path, mode);
        FileStat after = files.stat(call.cluster(), call.user(), path, true);
        ctx.json(new Success("Success to chmod file or directory.", V1FileDtos.chmodMessage(path, before, after)));
    }

    /** Answers a {@code chown -v} line; an owner alone leaves the group as it is (v1 set the owner's login group). */
    private void chown(Context ctx) {
        Call call = call(ctx, "chown");
        String path = V1Request.required(ctx, "targetPath");
        String owner = V1Request.optional(ctx, "owner").orElse("");
        String group = V1Request.optional(ctx, "group").orElse("");
        if (owner.isEmpty() && group.isEmpty()) {
            throw V1Request.invalid("group or owner must be set");
        }
        checkPaths(call, path);
        FileStat before = files.stat(call.cluster(), call.user(), path, true);
        FileEntry result = files.chown(call.cluster(), call.user(), path, owner, group);
        FileStat after = files.stat(call.cluster(), call.user(), path, true);
        ctx.json(new Success("Success to chown file or directory.", V1FileDtos.chownMessage(path, !owner.isEmpty(), before, after, result)));
    }

    private void symlink(Context ctx) {
        Call call = call(ctx, "symlink");
        String target = V1Request.required(ctx, "targetPath");
        String link = V1Request.required(ctx, "linkPath");
        checkPaths(call, target, link);
        files.symlink(call.cluster(), call.user(), target, link);
        ctx.status(201).json(new Success("Success to symlink file.", ""));
    }

    /** A gzipped tar of {@code sourcePath} (relative to its directory), as v1's {@code tar -czf}. */
    private void compress(Context ctx) {
        Call call = call(ctx, "compress");
        String target = V1Request.required(ctx, "targetPath");
        String source = V1Request.required(ctx, "sourcePath");
        boolean dereference = V1Request.flag(ctx, "dereference");
        checkPaths(call, source, target);
        files.compress(call.cluster(), call.user(), source, target, Optional.empty(), dereference, Compression.GZIP);
        ctx.status(201).json(new Success("Success to compress file.", ""));
    }

    /**
     * Unpacks by kind: v1 reads {@code type}, pyfirecrest sends {@code extension}; both are read
     * (FirecREST v1 ignored pyfirecrest's), and {@code auto} or neither tells the kind by the name.
     */
    private void extract(Context ctx) {
        Call call = call(ctx, "extract");
        String target = V1Request.required(ctx, "targetPath");
        String source = V1Request.required(ctx, "sourcePath");
        String requested = V1Request.optional(ctx, "type").or(() -> V1Request.optional(ctx, "extension")).orElse("auto");
        V1Archive archive = V1Archive.of(requested, source)
                .orElseThrow(() -> V1Request.invalid("Unsupported file format in " + source + "."));
        checkPaths(call, source, target);
        Optional<Compression> compression = archive.compression();
        if (compression.isPresent()) {
            files.extract(call.cluster(), call.user(), source, target, compression.get());
        } else {
            files.unzip(call.cluster(), call.user(), source, target);
        }
        ctx.status(201).json(new Success("Success to extract file.", ""));
    }

    /** A multipart {@code file} written into the directory {@code targetPath} under the part's file name. */
    private void upload(Context ctx) {
        Call call = call(ctx, "upload");
        long limit = call.cluster().dataOperation().maxOpsFileSize();
        String directory;
        UploadedFile file;
        try {
            directory = V1Request.required(ctx, "targetPath");
            file = ctx.uploadedFile("file");
        } catch (GoldcrestException e) {
            throw e;
        } catch (RuntimeException e) {
            if (MultipartLimits.exceeded(e)) {
                throw V1Request.uploadTooLarge(limit);
            }
            throw V1Request.invalid("Cannot read the multipart/form-data body: " + e.getMessage());
        }
        if (file == null) {
            throw V1Request.invalid("No file in query");
        }
        checkPaths(call, directory);
        try (InputStream content = file.content()) {
            files.upload(call.cluster(), call.user(), directory, Optional.ofNullable(file.filename()).orElse(""), file.size(), content);
        } catch (GoldcrestException e) {
            if (e.code() == ErrorCode.FILE_TOO_LARGE) {
                throw V1Request.uploadTooLarge(limit);
            }
            throw e;
        } catch (IOException e) {
            throw new GoldcrestException(ErrorCode.INTERNAL, "Reading the uploaded file failed", e);
        }
        ctx.status(201).json(new Success("File upload successful", ""));
    }



    /** {@code rm -r} of a form field's path; 204 without a body. */
    private void rm(Context ctx) {
        Call call = call(ctx, "rm");
        String path = V1Request.required(ctx, "targetPath");
        checkPaths(call, path);
        files.remove(call.cluster(), call.user(), path);
        ctx.status(204);
    }
}
