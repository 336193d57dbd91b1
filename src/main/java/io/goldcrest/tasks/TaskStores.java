package io.goldcrest.tasks;

import io.goldcrest.config.TasksConfig;
import java.time.Clock;

/** Opens the task store the configuration names. */
public final class TaskStores {
    private TaskStores() {}

    /** {@link #open(TasksConfig, Clock)} on the system clock. */
    public static TaskStore open(TasksConfig config) {
        return open(config, Clock.systemUTC());
    }

    /**
     * @param clock decides when a task has passed its {@code expiresAt}
     * @throws io.goldcrest.config.ConfigException when the data directory or the Redis URL is unusable
     * @throws io.goldcrest.error.GoldcrestException {@code TASK_STORE_UNAVAILABLE} when Redis cannot be reached
     */
    public static TaskStore open(TasksConfig config, Clock clock) {
        return switch (config.store()) {
            case EMBEDDED -> EmbeddedTaskStore.open(config.dataDir(), clock);
            // ConfigLoader refuses store: redis without goldcrest.redis, so the orElseThrow is a bug guard.
            case REDIS -> RedisTaskStore.open(config.redis().orElseThrow(
                    () -> new IllegalStateException("goldcrest.tasks.store is redis but goldcrest.redis is not set")), clock);
        };
    }
}
