package io.goldcrest.tasks;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
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
     * Records the end of a task that Goldcrest itself carried out (no scheduler job follows it): its
     * final state, what the caller is shown, and the error when it failed.
     */
    public Task finish(Task task, TaskState state, Map<String, Object> result, Optional<String> error) {
        if (state.isOpen()) {
            throw new IllegalArgumentException("a finished task cannot be " + state.word());
        }
        Instant now = clock.instant();
        Task finished = new Task(task.id(), task.owner(), task.system(), task.service(), task.operation(), state,
                task.progress(), result, error, task.jobId(), task.createdAt(), now, task.expiresAt(), task.context());
        store.put(finished);
        return finished;
    }

    /** Forgets a task now (FirecREST v1's invalidate): it is gone for every reader. */
    public void forget(Task task) {
        Instant now = clock.instant();
        store.put(new Task(task.id(), task.owner(), task.system(), task.service(), task.operation(), task.state(),
                task.progress(), task.result(), task.error(), task.jobId(), task.createdAt(), now, now, task.context()));
    }

    /** The task with this id, whoever owns it; the caller checks ownership. */
    public Optional<Task> find(String id) {
        return store.get(id);
    }

    /** The user's tasks with these ids; unknown ids and other users' tasks are left out. */
    public List<Task> some(String user, Collection<String> ids) {
        List<Task> found = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            store.get(id).filter(task -> task.owner().equals(user)).ifPresent(found::add);
        }
        return found;
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
