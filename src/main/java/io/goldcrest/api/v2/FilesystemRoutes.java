package io.goldcrest.api.v2;

import io.goldcrest.api.Access;
import io.goldcrest.api.ApiApp;
import io.goldcrest.api.JsonBody;
import io.goldcrest.api.MultipartLimits;
import io.goldcrest.api.RawQuery;
import io.goldcrest.api.RequestContext;
import io.goldcrest.api.ValidationException;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.filesystem.Compression;
import io.goldcrest.filesystem.Content;
import io.goldcrest.filesystem.FilesystemService;
import io.goldcrest.filesystem.ListOptions;
import io.goldcrest.status.ServiceHealth.ServiceType;
import io.goldcrest.status.StatusService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * FirecREST v2 {@code /filesystem/{system}/ops} routes. Each request is checked in FirecREST's
 * order (system, SSH health, path rules, file-system health, parameters) before any remote work.
 */
public final class FilesystemRoutes {
    private static final String[] PATH_KEYS = {"path", "sourcePath", "source_path"};

    private final StatusService status;
    private final FilesystemService files;

    public FilesystemRoutes(StatusService status, FilesystemService files) {
        this.status = status;
        this.files = files;
    }

    public void register(Javalin app, String prefix) {
        String ops = prefix + "/filesystem/{system_name}/ops";
        app.get(ops + "/ls", this::ls, Access.AUTHENTICATED);
        app.get(ops + "/head", this::head, Access.AUTHENTICATED);
        app.get(ops + "/tail", this::tail, Access.AUTHENTICATED);
        app.get(ops + "/view", this::view, Access.AUTHENTICATED);
        app.get(ops + "/checksum", this::checksum, Access.AUTHENTICATED);
        app.get(ops + "/file", this::file, Access.AUTHENTICATED);
        app.get(ops + "/stat", this::stat, Access.AUTHENTICATED);
        app.put(ops + "/chmod", this::chmod, Access.AUTHENTICATED);
        app.put(ops + "/chown", this::chown, Access.AUTHENTICATED);
        app.post(ops + "/mkdir", this::mkdir, Access.AUTHENTICATED);
        app.post(ops + "/symlink", this::symlink, Access.AUTHENTICATED);
        app.delete(ops + "/rm", this::rm, Access.AUTHENTICATED);
        app.get(ops + "/download", this::download, Access.AUTHENTICATED);
        app.post(ops + "/upload", this::upload, Access.AUTHENTICATED);
        app.post(ops + "/compress", this::compress, Access.AUTHENTICATED);
        app.post(ops + "/extract", this::extract, Access.AUTHENTICATED);
    }

    /** The checked target of a request: its cluster, user and path. */
    record Target(ClusterConfig cluster, String user, String path) {}

    private Target target(Context ctx, String path) {
        return target(ctx, status.system(ctx.pathParam("system_name")), path);
    }

    Target target(Context ctx, ClusterConfig cluster, String path) {
        String user = RequestContext.requirePrincipal(ctx).username();
        status.requireHealthy(cluster, ServiceType.SSH);
        files.checkPath(cluster, path).ifPresent(fileSystem -> status.requireHealthyFileSystem(cluster, fileSystem.path()));
        return new Target(cluster, user, path);
    }

    Target queryTarget(Context ctx) {
        return target(ctx, RawQuery.get(ctx, "path"));
    }

    /** Bodies are read after the system is known, so an unknown system is a 404 whatever the body. */
    record BodyTarget(Target target, JsonBody body) {}

    BodyTarget bodyTarget(Context ctx) {
        ClusterConfig cluster = status.system(ctx.pathParam("system_name"));
        JsonBody body;
        String path;
        try {
            body = JsonBody.of(ctx);
            path = body.string(PATH_KEYS).orElse(null);
        } catch (ValidationException e) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER,
                    "Unable to decode request and retreive the required path or source_path parameter.");
        }
        return new BodyTarget(target(ctx, cluster, path), body);
    }

    /** A second path in a body (link, archive target) must follow the same rules as the first. */
    String secondPath(Target target, JsonBody body, String... names) {
        String path = body.requiredString(names);
        files.checkPath(target.cluster(), path)
                .ifPresent(fileSystem -> status.requireHealthyFileSystem(target.cluster(), fileSystem.path()));
        return path;
    }

    private static boolean flag(Context ctx, String camel, String snake) {
        String name = ctx.queryParam(camel) == null && ctx.queryParam(snake) != null ? snake : camel;
        return ApiApp.queryBoolean(ctx, name, false);
    }

    private static OptionalLong nonNegative(Context ctx, String name) {
        OptionalLong value = ApiApp.queryLong(ctx, name);
        if (value.isPresent() && value.getAsLong() < 0) {
            throw new ValidationException("query", name, "input should be greater than or equal to 0");
        }
        return value;
    }

    private void ls(Context ctx) {
        Target target = queryTarget(ctx);
        ListOptions options = new ListOptions(flag(ctx, "showHidden", "show_hidden"), flag(ctx, "numericUid", "numeric_uid"),
                flag(ctx, "recursive", "recursive"), flag(ctx, "dereference", "dereference"));
        ctx.json(new FilesystemDtos.Output<>(files.list(target.cluster(), target.user(), target.path(), options).stream()
                .map(FilesystemDtos::file).toList()));
    }

    private void head(Context ctx) {
        part(ctx, "skipTrailing", "skip_trailing", files::head);
    }

    private void tail(Context ctx) {
        part(ctx, "skipHeading", "skip_heading", files::tail);
    }

    /** FilesystemService's head and tail. */
    @FunctionalInterface
    private interface PartReader {
        Content read(ClusterConfig cluster, String user, String path, boolean bytes, long count, boolean skip);
    }

    /** {@code bytes} or {@code lines}, never both; 10 lines when neither is given. */
    private void part(Context ctx, String skipCamel, String skipSnake, PartReader reader) {
        Target target = queryTarget(ctx);
        boolean skip = flag(ctx, skipCamel, skipSnake);
        OptionalLong bytes = nonNegative(ctx, "bytes");
        OptionalLong lines = nonNegative(ctx, "lines");
        if (bytes.isPresent() && lines.isPresent()) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "Only one of `bytes` or `lines` can be specified.");
        }
        long count = bytes.isPresent() ? bytes.getAsLong() : lines.orElse(10);
        ctx.json(new FilesystemDtos.Output<>(FilesystemDtos.content(
                reader.read(target.cluster(), target.user(), target.path(), bytes.isPresent(), count, skip))));
    }

    private void view(Context ctx) {
        Target target = queryTarget(ctx);
        long max = target.cluster().dataOperation().maxOpsFileSize();
        long offset = ApiApp.queryLong(ctx, "offset").orElse(0);
        // FirecREST defaults size to 5 MiB even when its own limit is lower; the limit is the better default.
        long size = ApiApp.queryLong(ctx, "size").orElse(max);
        if (offset < 0) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "`offset` value must be an integer value equal or greater than 0");
        }
        if (size <= 0) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "`size` value must be an integer value greater than 0");
        }
        if (size > max) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "`size` value must be less than " + max + " bytes");
        }
        ctx.json(new FilesystemDtos.Output<>(files.view(target.cluster(), target.user(), target.path(), offset, size)));
    }

    private void checksum(Context ctx) {
        Target target = queryTarget(ctx);
        ctx.json(new FilesystemDtos.Output<>(new FilesystemDtos.Checksum("SHA256",
                files.checksum(target.cluster(), target.user(), target.path()))));
    }

    private void file(Context ctx) {
        Target target = queryTarget(ctx);
        ctx.json(new FilesystemDtos.Output<>(files.fileType(target.cluster(), target.user(), target.path())));
    }

    private void stat(Context ctx) {
        Target target = queryTarget(ctx);
        boolean dereference = flag(ctx, "dereference", "dereference");
        ctx.json(new FilesystemDtos.Output<>(FilesystemDtos.stat(
                files.stat(target.cluster(), target.user(), target.path(), dereference))));
    }

    private void chmod(Context ctx) {
        BodyTarget request = bodyTarget(ctx);
        String mode = request.body().requiredString("mode");
        Target target = request.target();
        ctx.json(new FilesystemDtos.Output<>(FilesystemDtos.file(files.chmod(target.cluster(), target.user(), target.path(), mode))));
    }

    private void chown(Context ctx) {
        BodyTarget request = bodyTarget(ctx);
        String owner = request.body().string("owner").orElse("");
        String group = request.body().string("group").orElse("");
        Target target = request.target();
        ctx.json(new FilesystemDtos.Output<>(FilesystemDtos.file(
                files.chown(target.cluster(), target.user(), target.path(), owner, group))));
    }

    private void mkdir(Context ctx) {
        BodyTarget request = bodyTarget(ctx);
        boolean parent = request.body().bool(false, "parent");
        Target target = request.target();
        ctx.status(201).json(new FilesystemDtos.Output<>(FilesystemDtos.file(
                files.mkdir(target.cluster(), target.user(), target.path(), parent))));
    }

    private void symlink(Context ctx) {
        BodyTarget request = bodyTarget(ctx);
        Target target = request.target();
        String linkPath = secondPath(target, request.body(), "linkPath", "link_path");
        ctx.status(201).json(new FilesystemDtos.Output<>(FilesystemDtos.file(
                files.symlink(target.cluster(), target.user(), target.path(), linkPath))));
    }

    private void rm(Context ctx) {
        Target target = queryTarget(ctx);
        files.remove(target.cluster(), target.user(), target.path());
        ctx.status(204);
    }

    private void download(Context ctx) {
        Target target = queryTarget(ctx);
        files.download(target.cluster(), target.user(), target.path(), size -> {
            ctx.status(200);
            ctx.contentType("application/octet-stream");
            ctx.header("Content-Length", Long.toString(size));
            return ctx.res().getOutputStream();
        });
    }

    private void upload(Context ctx) {
        Target target = queryTarget(ctx);
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (RuntimeException e) {
            if (MultipartLimits.exceeded(e)) {
                throw new GoldcrestException(ErrorCode.FILE_TOO_LARGE, "File to upload is too large.");
            }
            throw new ValidationException("body", "file", "cannot read the multipart/form-data body: " + e.getMessage());
        }
        if (file == null) {
            throw new ValidationException("body", "file", "field required (a multipart/form-data part named file)");
        }
        try (InputStream content = file.content()) {
            files.upload(target.cluster(), target.user(), target.path(), Optional.ofNullable(file.filename()).orElse(""),
                    file.size(), content);
        } catch (IOException e) {
            throw new GoldcrestException(ErrorCode.INTERNAL, "Reading the uploaded file failed", e);
        }
        ctx.status(204);
    }


    static Compression compression(JsonBody body) {
        Optional<String> value = body.string("compression");
        if (value.isEmpty()) {
            return Compression.GZIP;
        }
        return Compression.parse(value.get()).orElseThrow(() ->
                new ValidationException("body", "compression", "input should be 'none', 'bzip2', 'gzip' or 'xz'"));
    }

    private void compress(Context ctx) {
        BodyTarget request = bodyTarget(ctx);
        Target target = request.target();
        JsonBody body = request.body();
        String targetPath = secondPath(target, body, "targetPath", "target_path");
        Optional<String> pattern = body.string("matchPattern", "match_pattern");
        boolean dereference = body.bool(false, "dereference");
        files.compress(target.cluster(), target.user(), target.path(), targetPath, pattern, dereference, compression(body));
        ctx.status(204);
    }

    private void extract(Context ctx) {
        BodyTarget request = bodyTarget(ctx);
        Target target = request.target();
        JsonBody body = request.body();
        String targetPath = secondPath(target, body, "targetPath", "target_path");
        files.extract(target.cluster(), target.user(), target.path(), targetPath, compression(body));
        ctx.status(204);
    }
}
