package io.goldcrest.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.TestClock;
import io.goldcrest.config.ConfigException;
import io.goldcrest.config.TasksConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedTaskStoreTest extends TaskStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected TaskStore newStore() {
        return EmbeddedTaskStore.open(dataDir, clock);
    }

    @Test
    void sweepDeletesExpiredRows() {
        TaskStore store = openStore();
        Task expiring = task("alice", "cluster", TaskState.RUNNING, start);
        Task staying = task("alice", "cluster", TaskState.RUNNING, start.plus(Duration.ofHours(2)));
        store.put(expiring);
        store.put(staying);
        clock.advance(Duration.ofHours(2));

        store.sweep(clock.instant());

        // A store whose clock is still at the start would show the expired task, had the row survived.
        try (TaskStore earlier = EmbeddedTaskStore.open(dataDir, new TestClock(start))) {
            assertThat(earlier.get(expiring.id())).isEmpty();
            assertThat(earlier.get(staying.id())).contains(staying);
        }
    }

    @Test
    void theFactoryOpensTheFileInTheDataDirectory() {
        TasksConfig config = new TasksConfig(TasksConfig.Store.EMBEDDED, dataDir.resolve("data"), Optional.empty(),
                Duration.ofDays(7), Duration.ofSeconds(5));
        Task task = task("alice", "cluster", TaskState.QUEUED, start);
        try (TaskStore store = TaskStores.open(config, clock)) {
            assertThat(store).isInstanceOf(EmbeddedTaskStore.class);
            store.put(task);
        }

        assertThat(dataDir.resolve("data/tasks.db")).isRegularFile();
        assertThat(openStore().get(task.id())).isEmpty();
        try (TaskStore reopened = EmbeddedTaskStore.open(dataDir.resolve("data"), clock)) {
            assertThat(reopened.get(task.id())).contains(task);
        }
    }

    @Test
    void leaseIsAlwaysGranted() {
        TaskStore store = openStore();

        assertThat(store.lease("cluster", "instance-a", Duration.ofSeconds(10))).isTrue();
        assertThat(store.lease("cluster", "instance-b", Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void createsTheDataDirectoryAndAWriteAheadLoggedFile() throws SQLException {
        Path nested = dataDir.resolve("a/b");
        try (TaskStore store = EmbeddedTaskStore.open(nested, clock)) {
            store.put(task("alice", "cluster", TaskState.QUEUED, start));
        }

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + nested.resolve("tasks.db"));
                ResultSet mode = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void namesTheDataDirectoryWhenItCannotBeCreated() throws IOException {
        Path file = Files.writeString(dataDir.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> EmbeddedTaskStore.open(file.resolve("data"), clock))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("goldcrest.data_dir: cannot create " + file.resolve("data")));
    }

    @Test
    void refusesAFileOfANewerSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("tasks.db"))) {
            connection.createStatement().execute("PRAGMA user_version = 9");
        }

        assertThatThrownBy(() -> EmbeddedTaskStore.open(dataDir, clock))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "goldcrest.data_dir: " + dataDir.resolve("tasks.db") + " has task schema 9, newer than this Goldcrest's 1"));
    }

    @Test
    void aClosedStoreIsUnavailable() {
        TaskStore store = newStore();
        store.close();

        assertThatThrownBy(() -> store.get("x"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TASK_STORE_UNAVAILABLE))
                .hasMessage("the task store is closed");
    }

    @Test
    void expiresToTheMillisecond() {
        TaskStore store = openStore();
        Task task = task("alice", "cluster", TaskState.QUEUED, Instant.ofEpochMilli(start.toEpochMilli()));
        store.put(task);
        clock.advance(Duration.ofHours(1));

        store.sweep(clock.instant());

        try (TaskStore earlier = EmbeddedTaskStore.open(dataDir, new TestClock(start))) {
            assertThat(earlier.get(task.id())).isEmpty();
        }
    }
}
