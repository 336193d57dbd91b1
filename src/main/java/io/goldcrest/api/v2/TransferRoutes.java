package io.goldcrest.api.v2;

import io.goldcrest.api.Access;
import io.goldcrest.api.JsonBody;
import io.goldcrest.api.RawQuery;
import io.goldcrest.api.RequestContext;
import io.goldcrest.api.ValidationException;
import io.goldcrest.api.v2.FilesystemRoutes.BodyTarget;
import io.goldcrest.api.v2.FilesystemRoutes.Target;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.status.ServiceHealth.ServiceType;
import io.goldcrest.status.StatusService;
import io.goldcrest.storage.Transfer;
import io.goldcrest.storage.TransferJob;
import io.goldcrest.storage.TransferService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * FirecREST v2 {@code /filesystem/{system}/transfer} routes: each submits a job and answers at once
 * with the job's descriptor and the id of the task that follows it. The file operations check their
 * paths as {@code ops} does; all of them need a healthy scheduler and SSH.
 */
public final class TransferRoutes {
    private final StatusService status;
    private final FilesystemRoutes paths;
    private final TransferService transfers;

    public TransferRoutes(StatusService status, FilesystemRoutes paths, TransferService transfers) {
        this.status = status;
        this.paths = paths;
        this.transfers = transfers;
    }

    public void register(Javalin app, String prefix) {
        String base = prefix + "/filesystem/{system_name}/transfer";
        app.post(base + "/mv", ctx -> fileOperation(ctx, "mv"), Access.AUTHENTICATED);
        app.post(base + "/cp", ctx -> fileOperation(ctx, "cp"), Access.AUTHENTICATED);
        app.delete(base + "/rm", this::rm, Access.AUTHENTICATED);
        app.post(base + "/compress", ctx -> fileOperation(ctx, "compress"), Access.AUTHENTICATED);
        app.post(base + "/extract", ctx -> fileOperation(ctx, "extract"), Access.AUTHENTICATED);
        app.post(base + "/upload", this::upload, Access.AUTHENTICATED);
        app.post(base + "/download", this::download, Access.AUTHENTICATED);
    }

    private void fileOperation(Context ctx, String operation) {
        BodyTarget request = paths.bodyTarget(ctx);
        Target target = request.target();
        status.requireHealthy(target.cluster(), ServiceType.SCHEDULER);
        JsonBody body = request.body();
        String targetPath = paths.secondPath(target, body, "targetPath", "target_path");
        TransferJob job = switch (operation) {
            case "mv" -> new TransferJob.Move(target.path(), targetPath);
            case "cp" -> new TransferJob.Copy(target.path(), targetPath, body.bool(false, "dereference"));
            case "compress" -> new TransferJob.Compress(target.path(), targetPath, body.string("matchPattern", "match_pattern"),
                    body.bool(false, "dereference"), FilesystemRoutes.compression(body));
            case "extract" -> new TransferJob.Extract(target.path(), targetPath, FilesystemRoutes.compression(body));
            default -> throw new IllegalArgumentException(operation);
        };
        Transfer transfer = transfers.submit(target.cluster(), target.user(), job, body.string("account"));
        ctx.status(201).json(TransferDtos.response(transfer, Optional.empty()));
    }

    private void rm(Context ctx) {
        Target target = paths.queryTarget(ctx);
        status.requireHealthy(target.cluster(), ServiceType.SCHEDULER);
        Optional<String> account = Optional.ofNullable(RawQuery.get(ctx, "account"));
        Transfer transfer = transfers.submit(target.cluster(), target.user(), new TransferJob.Delete(target.path()), account);
        // FirecREST answers 200 here, unlike the other transfer routes; pyfirecrest checks for it.
        ctx.status(200).json(TransferDtos.response(transfer, Optional.empty()));
    }

    /** The checked system and user of an upload or download, and its body (no path rules, as FirecREST). */
    private record Request(ClusterConfig cluster, String user, JsonBody body, String path, Optional<String> account,
                           JsonBody directives) {}

    private Request request(Context ctx) {
        String user = RequestContext.requirePrincipal(ctx).username();
        ClusterConfig cluster = status.system(ctx.pathParam("system_name"));
        status.requireHealthy(cluster, ServiceType.SCHEDULER);
        status.requireHealthy(cluster, ServiceType.SSH);
        JsonBody body = JsonBody.of(ctx);
        String path = body.requiredString("path", "sourcePath", "source_path");
        if (!path.startsWith("/")) {
            throw new ValidationException("body", "path", "must be an absolute path");
        }
        JsonBody directives = body.object("transferDirectives", "transfer_directives")
                .orElseThrow(() -> new ValidationException("body", "transferDirectives", "field required"));
        String method = directives.requiredString("transferMethod", "transfer_method").toLowerCase(Locale.ROOT);
        if (!method.equals("s3") && !method.equals("streamer") && !method.equals("wormhole")) {
            throw new ValidationException("body", "transferMethod", "input should be 's3', 'streamer' or 'wormhole'");
        }
        if (!method.equals("s3")) {
            throw new GoldcrestException(ErrorCode.TRANSFER_METHOD_UNAVAILABLE,
                    "Requested transfer method is not available.");
        }
        return new Request(cluster, user, body, path, body.string("account"), directives);
    }

    private void upload(Context ctx) {
        Request request = request(ctx);
        OptionalLong size = request.directives().integer("fileSize", "file_size");
        if (size.isEmpty()) {
            throw new ValidationException("body", "fileSize", "field required: the s3 method needs the file's size to plan its parts");
        }
        if (size.getAsLong() < 0) {
            throw new ValidationException("body", "fileSize", "input should be greater than or equal to 0");
        }
        Transfer transfer = transfers.upload(request.cluster(), request.user(), request.path(), request.account(), size.getAsLong());
        ctx.status(201).json(TransferDtos.response(transfer, Optional.of(TransferDtos.uploadDirectives(transfer))));
    }

    private void download(Context ctx) {
        Request request = request(ctx);
        Transfer transfer = transfers.download(request.cluster(), request.user(), request.path(), request.account());
        ctx.status(201).json(TransferDtos.response(transfer, Optional.of(TransferDtos.downloadDirectives(transfer))));
    }
}
