package io.goldcrest.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable task records. Two implementations: an embedded SQLite file (one instance) and Redis
 * (several instances share it). Every method may throw {@link io.goldcrest.error.GoldcrestException}
 * with {@code TASK_STORE_UNAVAILABLE} when the store cannot be reached.
 */
public interface TaskStore extends AutoCloseable {
    /** Creates or replaces the task with this id. */
    void put(Task task);

    /** The task, unless it does not exist or has passed its {@code expiresAt}. */
    Optional<Task> get(String id);

    /** The owner's live tasks, newest first. */
    List<Task> byOwner(String owner);

    /** The system's tasks in an open state (queued, running), oldest first. */
    List<Task> open(String system);

    /**
     * Asks to be the one watcher of {@code system} for {@code ttl}: true when no other holder has a
     * live lease (the caller's own lease is renewed). The embedded store always says yes.
     */
    boolean lease(String system, String holder, Duration ttl);

    /** Drops tasks whose {@code expiresAt} is before {@code now}; a no-op where the store expires them itself. */
    void sweep(Instant now);

    @Override
    void close();
}
