package io.goldcrest.tasks;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Creates tasks and shows each user their own; the {@link TaskWatcher} moves them on. */
public final class TaskService {
    private final TaskStore store;
    private final Clock clock;
    private final Duration retention;

    public TaskService(TaskStore store, Clock clock, Duration retention) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** Records a new task for a scheduler job just submitted; it starts {@code queued}. */
    public Task create(String owner, String system, String service, String operation, Optional<String> jobId,
                       Optional<Progress> progress, Map<String, Object> result, Map<String, String> context) {
        Instant now = clock.instant();
        Task task = new Task(TaskIds.newId(), owner, system, service, operation, TaskState.QUEUED,
                progress, result, Optional.empty(), jobId, now, now, now.plus(retention), context);
        store.put(task);
        return task;
    }

    /**
     * @throws GoldcrestException {@code TASK_NOT_FOUND} when there is no such task, {@code TASK_FORBIDDEN}
     *     when it is another user's
     */
    public Task get(String user, String id) {
        Task task = store.get(id).orElseThrow(() -> new GoldcrestException(ErrorCode.TASK_NOT_FOUND, "Task '" + id + "' not found."));
        if (!task.owner().equals(user)) {
            throw new GoldcrestException(ErrorCode.TASK_FORBIDDEN, "Task '" + id + "' belongs to another user.");
        }
        return task;
    }

    /** The user's tasks, newest first, optionally of one system only. */
    public List<Task> list(String user, Optional<String> system) {
        return store.byOwner(user).stream()
                .filter(task -> system.isEmpty() || task.system().equalsIgnoreCase(system.get()))
                .toList();
    }
}
