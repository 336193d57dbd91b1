package io.goldcrest.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The tasks service ({@code goldcrest.tasks}): where asynchronous requests are recorded and how often
 * their scheduler jobs are looked at.
 *
 * @param store {@code embedded} (an SQLite file under {@code dataDir}) or {@code redis} (shared by
 *     every instance that names the same Redis)
 * @param dataDir {@code goldcrest.data_dir}, where the embedded store keeps its file
 * @param redis {@code goldcrest.redis}; required when {@code store} is {@code redis}
 * @param retention how long a task is kept after it was created
 * @param watchInterval how often each system's watcher asks the scheduler about open tasks
 */
public record TasksConfig(Store store, Path dataDir, Optional<RedisConfig> redis, Duration retention, Duration watchInterval) {
    public enum Store { EMBEDDED, REDIS }

    public TasksConfig {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(watchInterval, "watchInterval");
    }

    /**
     * @param url {@code redis://[user:password@]host:port[/db]}; a secret, since it may hold a password
     * @param keyPrefix the first part of every key Goldcrest writes, so one Redis can serve several deployments
     */
    public record RedisConfig(Secret url, String keyPrefix) {
        public RedisConfig {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(keyPrefix, "keyPrefix");
        }
    }
}
