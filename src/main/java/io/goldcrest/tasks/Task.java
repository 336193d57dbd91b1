package io.goldcrest.tasks;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One asynchronous request, from creation until it ends and then until {@code expiresAt}.
 *
 * @param id random, unguessable (a UUID)
 * @param owner the user name that created it; only they may read it
 * @param system the cluster name
 * @param service e.g. {@code transfer}, {@code compute}
 * @param operation e.g. {@code upload}, {@code download}, {@code mv}, {@code cp}, {@code rm}
 * @param result what the caller is shown when it ends (and while it runs): plain JSON values only
 *     (String, Number, Boolean, List, Map)
 * @param jobId the scheduler job behind the task, when there is one
 * @param expiresAt when the task is forgotten (the stores drop it then)
 * @param context what Goldcrest needs to move the task on, never shown to the caller (object keys,
 *     upload ids, log paths)
 */
public record Task(
        String id,
        String owner,
        String system,
        String service,
        String operation,
        TaskState state,
        Optional<Progress> progress,
        Map<String, Object> result,
        Optional<String> error,
        Optional<String> jobId,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Map<String, String> context) {

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(progress, "progress");
        result = Collections.unmodifiableMap(new LinkedHashMap<>(result));
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }

    /** This task in {@code newState} at {@code now}, with the error when one is given. */
    public Task moved(TaskState newState, Optional<String> newError, Instant now) {
        return new Task(id, owner, system, service, operation, newState, progress, result, newError, jobId,
                createdAt, now, expiresAt, context);
    }

    public Task withProgress(Optional<Progress> newProgress, Instant now) {
        return new Task(id, owner, system, service, operation, state, newProgress, result, error, jobId,
                createdAt, now, expiresAt, context);
    }
}
