package io.goldcrest.tasks;

import io.goldcrest.config.ConfigException;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tasks in one SQLite file, {@code <data_dir>/tasks.db}, for a single Goldcrest instance.
 *
 * <p>One connection guarded by a {@link ReentrantLock} (not {@code synchronized}, which would pin
 * the callers' virtual threads): SQLite serialises writers anyway, and every statement here is a
 * primary-key or index lookup, so a pool would only add lock contention inside SQLite. The file is
 * in WAL mode with {@code synchronous=NORMAL}: a commit survives a crash of Goldcrest; a power loss
 * may drop the last few commits, which costs a few task updates, not the file.
 *
 * <p>Times in the indexed columns are epoch milliseconds; a task is live while the clock is before
 * its {@code expiresAt} (to the millisecond, as in Redis).
 */
public final class EmbeddedTaskStore implements TaskStore {
    static final String FILE_NAME = "tasks.db";
    /** Kept in SQLite's {@code user_version}; a file from a newer schema is refused, never rewritten. */
    private static final int SCHEMA_VERSION = 1;
    /** How long a statement waits for a lock held by another process that opened the same file. */
    private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    private static final String UPSERT = """
            INSERT INTO tasks (id, owner, system, open, created_at, expires_at, json) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, system = excluded.system, open = excluded.open,
                created_at = excluded.created_at, expires_at = excluded.expires_at, json = excluded.json""";
    private static final String GET = "SELECT json FROM tasks WHERE id = ? AND expires_at > ?";
    private static final String BY_OWNER =
            "SELECT json FROM tasks WHERE owner = ? AND expires_at > ? ORDER BY created_at DESC, id DESC";
    private static final String OPEN =
            "SELECT json FROM tasks WHERE open = 1 AND system = ? AND expires_at > ? ORDER BY created_at, id";
    private static final String SWEEP = "DELETE FROM tasks WHERE expires_at <= ?";

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;
    private boolean closed;

    private EmbeddedTaskStore(Clock clock, Connection connection) {
        this.clock = clock;
        this.connection = connection;
    }

    /**
     * Opens (creating when needed) {@code dataDir/tasks.db}.
     *
     * @throws ConfigException naming {@code goldcrest.data_dir} when the directory or the file cannot
     *     be created or opened
     */
    public static EmbeddedTaskStore open(Path dataDir, Clock clock) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new ConfigException(List.of("goldcrest.data_dir: cannot create " + dataDir + ": " + e));
        }
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA synchronous = NORMAL");
                int version = intPragma(statement, "user_version");
                if (version > SCHEMA_VERSION) {
                    throw new ConfigException(List.of("goldcrest.data_dir: " + file + " has task schema " + version
                            + ", newer than this Goldcrest's " + SCHEMA_VERSION));
                }
                statement.execute("""
                        CREATE TABLE IF NOT EXISTS tasks (
                            id TEXT PRIMARY KEY,
                            owner TEXT NOT NULL,
                            system TEXT NOT NULL,
                            open INTEGER NOT NULL,
                            created_at INTEGER NOT NULL,
                            expires_at INTEGER NOT NULL,
                            json TEXT NOT NULL)""");
                statement.execute("CREATE INDEX IF NOT EXISTS tasks_by_owner ON tasks (owner, created_at)");
                // Partial: only open tasks are ever looked up by system, and they are few.
                statement.execute("CREATE INDEX IF NOT EXISTS tasks_open ON tasks (system, created_at) WHERE open = 1");
                statement.execute("CREATE INDEX IF NOT EXISTS tasks_expiry ON tasks (expires_at)");
                statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            return new EmbeddedTaskStore(clock, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new ConfigException(List.of("goldcrest.data_dir: cannot open the task store " + file + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public void put(Task task) {
        String json = TaskCodec.encode(task);
        locked("write", () -> {
            try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
                statement.setString(1, task.id());
                statement.setString(2, task.owner());
                statement.setString(3, task.system());
                statement.setInt(4, task.state().isOpen() ? 1 : 0);
                statement.setLong(5, task.createdAt().toEpochMilli());
                statement.setLong(6, task.expiresAt().toEpochMilli());
                statement.setString(7, json);
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Task> get(String id) {
        return query(GET, id).stream().findFirst();
    }

    @Override
    public List<Task> byOwner(String owner) {
        return query(BY_OWNER, owner);
    }

    @Override
    public List<Task> open(String system) {
        return query(OPEN, system);
    }

    /** Always true: only one instance uses an embedded store. */
    @Override
    public boolean lease(String system, String holder, Duration ttl) {
        return true;
    }

    @Override
    public void sweep(Instant now) {
        locked("sweep", () -> {
            try (PreparedStatement statement = connection.prepareStatement(SWEEP)) {
                statement.setLong(1, now.toEpochMilli());
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                connection.close();
            }
        } catch (SQLException e) {
            throw unavailable("close", e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code statement} with the key and the current time as its two parameters. */
    private List<Task> query(String sql, String key) {
        long now = clock.millis();
        List<String> rows = locked("read", () -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, key);
                statement.setLong(2, now);
                List<String> found = new ArrayList<>();
                try (ResultSet resultSet = statement.executeQuery()) {
                    while (resultSet.next()) {
                        found.add(resultSet.getString(1));
                    }
                }
                return found;
            }
        });
        // Decoded outside the lock: JSON parsing is the costly part of a read.
        return rows.stream().map(TaskCodec::decode).toList();
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T locked(String what, SqlWork<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new GoldcrestException(ErrorCode.TASK_STORE_UNAVAILABLE, "the task store is closed");
            }
            return work.run();
        } catch (SQLException e) {
            throw unavailable(what, e);
        } finally {
            lock.unlock();
        }
    }

    private static GoldcrestException unavailable(String what, SQLException e) {
        // SQLite's messages name the failure ("database is locked", "disk I/O error"), never the file.
        return new GoldcrestException(ErrorCode.TASK_STORE_UNAVAILABLE, "the task store cannot " + what + ": " + e.getMessage(), e);
    }

    private static int intPragma(Statement statement, String name) throws SQLException {
        try (ResultSet resultSet = statement.executeQuery("PRAGMA " + name)) {
            return resultSet.next() ? resultSet.getInt(1) : 0;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already failing; the first error is the one reported
        }
    }
}
