package io.goldcrest.api.v2;

import io.goldcrest.api.Access;
import io.goldcrest.api.RequestContext;
import io.goldcrest.tasks.TaskService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Optional;

/** Goldcrest's own {@code GET /tasks} and {@code GET /tasks/{id}}: the caller's asynchronous requests. */
public final class TaskRoutes {
    private final TaskService tasks;

    public TaskRoutes(TaskService tasks) {
        this.tasks = tasks;
    }

    public void register(Javalin app, String prefix) {
        app.get(prefix + "/tasks", this::list, Access.AUTHENTICATED);
        app.get(prefix + "/tasks/{task_id}", this::get, Access.AUTHENTICATED);
    }

    private void list(Context ctx) {
        String user = RequestContext.requirePrincipal(ctx).username();
        Optional<String> system = Optional.ofNullable(ctx.queryParam("system")).filter(value -> !value.isBlank());
        ctx.json(TaskDtos.list(tasks.list(user, system)));
    }

    private void get(Context ctx) {
        String user = RequestContext.requirePrincipal(ctx).username();
        ctx.json(TaskDtos.of(tasks.get(user, ctx.pathParam("task_id"))));
    }
}
