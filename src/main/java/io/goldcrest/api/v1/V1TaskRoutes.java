package io.goldcrest.api.v1;

import io.goldcrest.api.Access;
import io.goldcrest.api.V1Failure;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.tasks.Task;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** v1's {@code GET /tasks[?tasks=a,b]} and {@code GET /tasks/{id}}: the caller's tasks in v1's shape. */
final class V1TaskRoutes {
    private final V1Tasks tasks;

    V1TaskRoutes(V1Services services) {
        this.tasks = services.tasks();
    }

    void register(Javalin app, String prefix) {
        app.get(prefix + "/tasks", this::list, Access.AUTHENTICATED);
        app.get(prefix + "/tasks/{taskid}", this::get, Access.AUTHENTICATED);
    }

    private void list(Context ctx) {
        V1Request.describe(ctx, "Error listing tasks");
        String user = V1Request.user(ctx);
        Optional<String> wanted = Optional.ofNullable(ctx.queryParam("tasks")).filter(value -> !value.isBlank());
        List<Task> found = wanted.isPresent()
                ? tasks.service().some(user, Arrays.stream(wanted.get().split(",")).map(String::strip).filter(id -> !id.isEmpty()).toList())
                : tasks.service().list(user, Optional.empty());
        Map<String, Object> byId = new LinkedHashMap<>();
        found.forEach(task -> byId.put(task.id(), tasks.view(task, false)));
        ctx.json(Map.of("tasks", byId));
    }

    private void get(Context ctx) {
        String user = V1Request.user(ctx);
        String id = ctx.pathParam("taskid");
        Task task = tasks.service().find(id).orElseThrow(() ->
                new V1Failure(ErrorCode.TASK_NOT_FOUND, 404, Map.of(), Map.of("error", "Task " + id + " does not exist")));
        if (!task.owner().equals(user)) {
            throw new V1Failure(ErrorCode.TASK_FORBIDDEN, 403, Map.of(),
                    Map.of("description", "Operation not permitted. Invalid task owner."));
        }
        ctx.json(Map.of("task", tasks.view(task, true)));
    }
}
