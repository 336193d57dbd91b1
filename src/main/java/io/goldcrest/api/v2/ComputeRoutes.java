package io.goldcrest.api.v2;

import io.goldcrest.api.Access;
import io.goldcrest.api.ApiApp;
import io.goldcrest.api.JsonBody;
import io.goldcrest.api.RequestContext;
import io.goldcrest.api.ValidationException;
import io.goldcrest.compute.ComputeService;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.scheduler.HistoryWindow;
import io.goldcrest.scheduler.JobIds;
import io.goldcrest.scheduler.JobQuery;
import io.goldcrest.scheduler.JobSpec;
import io.goldcrest.status.ServiceHealth.ServiceType;
import io.goldcrest.status.StatusService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * FirecREST v2 {@code /compute/{system}/jobs} routes. Each request is checked in FirecREST's order
 * (system, scheduler and SSH health, parameters) before anything runs on the cluster.
 */
public final class ComputeRoutes {
    private static final int MAX_NAME = 235;
    private static final Map<String, String> DEFAULT_ENVIRONMENT = Map.of("F7T_version", "v2.0.0");

    private final StatusService status;
    private final ComputeService compute;

    public ComputeRoutes(StatusService status, ComputeService compute) {
        this.status = status;
        this.compute = compute;
    }

    public void register(Javalin app, String prefix) {
        String jobs = prefix + "/compute/{system_name}/jobs";
        app.post(jobs, this::submit, Access.AUTHENTICATED);
        app.get(jobs, this::list, Access.AUTHENTICATED);
        app.get(jobs + "/{job_id}", this::get, Access.AUTHENTICATED);
        app.get(jobs + "/{job_id}/metadata", this::metadata, Access.AUTHENTICATED);
        app.put(jobs + "/{job_id}/attach", this::attach, Access.AUTHENTICATED);
        app.delete(jobs + "/{job_id}", this::cancel, Access.AUTHENTICATED);
    }

    private record Target(ClusterConfig cluster, String user) {}

    private Target target(Context ctx) {
        String user = RequestContext.requirePrincipal(ctx).username();
        ClusterConfig cluster = status.system(ctx.pathParam("system_name"));
        status.requireHealthy(cluster, ServiceType.SCHEDULER);
        status.requireHealthy(cluster, ServiceType.SSH);
        return new Target(cluster, user);
    }

    private static String jobId(Context ctx) {
        String jobId = ctx.pathParam("job_id");
        if (!JobIds.isValid(jobId)) {
            throw new ValidationException("path", "job_id", "string should match pattern '^[a-zA-Z0-9]+$'");
        }
        return jobId;
    }

    private void submit(Context ctx) {
        Target target = target(ctx);
        JsonBody job = JsonBody.of(ctx).object("job")
                .orElseThrow(() -> new ValidationException("body", "job", "field required"));
        JobSpec spec;
        try {
            spec = new JobSpec(
                    job.requiredString("workingDirectory", "working_directory", "current_working_directory"),
                    job.string("script"),
                    job.string("scriptPath", "script_path"),
                    job.string("name"),
                    job.string("account"),
                    job.string("partition"),
                    job.string("reservation"),
                    job.string("constraints"),
                    job.string("standardInput", "standard_input"),
                    job.string("standardOutput", "standard_output"),
                    job.string("standardError", "standard_error"),
                    job.stringMap("env", "environment").orElse(DEFAULT_ENVIRONMENT));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(':');
            throw new ValidationException("body", colon > 0 ? message.substring(0, colon) : "job",
                    colon > 0 ? message.substring(colon + 1).strip() : message);
        }
        String jobId = compute.submit(target.cluster(), target.user(), spec);
        ctx.status(201).json(new ComputeDtos.Submitted(jobId));
    }

    private void list(Context ctx) {
        Target target = target(ctx);
        boolean allUsers = ApiApp.queryBoolean(ctx, "allusers", false);
        Optional<String> account = optionalQuery(ctx, "account");
        Optional<String> name = optionalQuery(ctx, "name");
        if (name.isPresent() && name.get().length() > MAX_NAME) {
            throw new ValidationException("query", "name", "string should have at most " + MAX_NAME + " characters");
        }
        HistoryWindow window = optionalQuery(ctx, "time_window")
                .map(word -> HistoryWindow.of(word).orElseThrow(() -> new ValidationException("query", "time_window",
                        "input should be '1h', '8h', '24h', '3d' or '7d'")))
                .orElse(HistoryWindow.DAY);
        ctx.json(ComputeDtos.jobs(compute.jobs(target.cluster(), target.user(), new JobQuery(allUsers, account, name, window))));
    }

    private void get(Context ctx) {
        Target target = target(ctx);
        ctx.json(ComputeDtos.jobs(compute.job(target.cluster(), target.user(), jobId(ctx))));
    }

    private void metadata(Context ctx) {
        Target target = target(ctx);
        ctx.json(ComputeDtos.metadata(compute.metadata(target.cluster(), target.user(), jobId(ctx))));
    }

    private void attach(Context ctx) {
        Target target = target(ctx);
        String jobId = jobId(ctx);
        String command = JsonBody.of(ctx).requiredString("command");
        if (command.isBlank()) {
            throw new ValidationException("body", "command", "string should not be empty");
        }
        compute.attach(target.cluster(), target.user(), jobId, command);
        ctx.status(204);
    }

    private void cancel(Context ctx) {
        Target target = target(ctx);
        compute.cancel(target.cluster(), target.user(), jobId(ctx));
        ctx.status(204);
    }

    /** httpx sends an unset parameter as {@code name=}: empty means not given. */
    private static Optional<String> optionalQuery(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(value -> !value.isEmpty());
    }
}
