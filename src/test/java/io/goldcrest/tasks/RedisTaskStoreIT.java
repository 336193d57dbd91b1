package io.goldcrest.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.LocalServices;
import io.goldcrest.config.Secret;
import io.goldcrest.config.TasksConfig;
import io.goldcrest.config.TasksConfig.RedisConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the local Redis of scripts/redis.sh. Each test writes under its own key prefix, inside one
 * per run, so tests and runs never see each other's keys; the run's keys are deleted after it.
 */
class RedisTaskStoreIT extends TaskStoreContract {
    private static final String RUN_PREFIX = "goldcrest-test-" + TaskIds.newId().substring(0, 8);
    private final String prefix = RUN_PREFIX + "." + TaskIds.newId().substring(0, 8);
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> redis;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(LocalServices.redisUrl());
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterAll
    static void deleteKeysAndDisconnect() {
        if (redis != null) {
            for (String key : redis.scan(ScanArgs.Builder.matches(RUN_PREFIX + ".*").limit(100_000)).getKeys()) {
                redis.del(key);
            }
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private RedisConfig config() {
        return new RedisConfig(new Secret(LocalServices.redisUrl()), prefix);
    }

    @Override
    protected TaskStore newStore() {
        return TaskStores.open(new TasksConfig(TasksConfig.Store.REDIS, Path.of("unused"), Optional.of(config()),
                Duration.ofDays(7), Duration.ofSeconds(5)), clock);
    }

    @Test
    void theTaskKeyExpiresWithTheTaskAndTheIndexesWithTheirLastTask() {
        TaskStore store = openStore();
        Task sooner = task("alice", "cluster", TaskState.RUNNING, start);
        Task later = task("alice", "cluster", TaskState.RUNNING, start.plus(Duration.ofHours(1)));
        store.put(later);
        store.put(sooner);
        long hour = Duration.ofHours(1).toMillis();

        assertThat(redis.pttl(prefix + ":task:" + sooner.id())).isBetween(hour - 10_000, hour);
        assertThat(redis.pttl(prefix + ":task:" + later.id())).isBetween(2 * hour - 10_000, 2 * hour);
        // The sooner task's put must not shorten the indexes' life below the later task's.
        assertThat(redis.pttl(prefix + ":owner:alice")).isBetween(2 * hour - 10_000, 2 * hour);
        assertThat(redis.pttl(prefix + ":open:cluster")).isBetween(2 * hour - 10_000, 2 * hour);
    }

    @Test
    void expiredIdsLeaveTheIndexes() throws InterruptedException {
        try (TaskStore store = TaskStores.open(new TasksConfig(TasksConfig.Store.REDIS, Path.of("unused"),
                Optional.of(config()), Duration.ofDays(7), Duration.ofSeconds(5)), Clock.systemUTC())) {
            Instant now = Instant.now();
            Task brief = new Task(TaskIds.newId(), "dora", "short", "transfer", "upload", TaskState.RUNNING, Optional.empty(),
                    Map.of(), Optional.empty(), Optional.empty(), now, now, now.plusSeconds(1), Map.of());
            Task staying = task("dora", "short", TaskState.QUEUED, now);
            store.put(brief);
            store.put(staying);
            assertThat(redis.zrange(prefix + ":owner:dora", 0, -1)).contains(brief.id());

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (redis.pttl(prefix + ":task:" + brief.id()) != -2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            assertThat(redis.exists(prefix + ":task:" + brief.id())).isZero();
            assertThat(store.byOwner("dora")).containsExactly(staying);
            assertThat(store.open("short")).containsExactly(staying);
            assertThat(redis.zrange(prefix + ":owner:dora", 0, -1)).containsExactly(staying.id());
            assertThat(redis.smembers(prefix + ":open:short")).containsExactly(staying.id());
        }
    }

    @Test
    void puttingAnAlreadyExpiredTaskRemovesIt() {
        TaskStore store = openStore();
        Instant past = Instant.now().minus(Duration.ofHours(2));
        Task task = task("erin", "cluster", TaskState.RUNNING, past);
        store.put(task);

        assertThat(redis.exists(prefix + ":task:" + task.id(), prefix + ":owner:erin")).isZero();
        assertThat(redis.sismember(prefix + ":open:cluster", task.id())).isFalse();
    }

    @Test
    void theLeaseIsExclusiveUntilItExpires() throws InterruptedException {
        TaskStore store = openStore();
        TaskStore other = openStore();
        String system = "leased-" + TaskIds.newId();
        String key = prefix + ":lease:" + system;

        assertThat(store.lease(system, "instance-a", Duration.ofSeconds(2))).isTrue();
        assertThat(other.lease(system, "instance-b", Duration.ofSeconds(10))).isFalse();
        assertThat(redis.get(key)).isEqualTo("instance-a");

        assertThat(store.lease(system, "instance-a", Duration.ofSeconds(30))).isTrue();
        assertThat(redis.pttl(key)).isBetween(20_000L, 30_000L);
        assertThat(other.lease(system, "instance-b", Duration.ofSeconds(10))).isFalse();

        store.lease(system, "instance-a", Duration.ofMillis(200));
        Thread.sleep(400);
        assertThat(other.lease(system, "instance-b", Duration.ofSeconds(10))).isTrue();
        assertThat(store.lease(system, "instance-a", Duration.ofSeconds(10))).isFalse();
        assertThat(redis.get(key)).isEqualTo("instance-b");
    }

    @Test
    void twoInstancesSeeEachOthersWrites() {
        TaskStore one = openStore();
        TaskStore two = openStore();
        Task task = task("frank", "shared", TaskState.QUEUED, start);
        one.put(task);

        assertThat(two.get(task.id())).contains(task);
        assertThat(two.open("shared")).containsExactly(task);

        Task done = task.moved(TaskState.SUCCEEDED, Optional.empty(), start.plusSeconds(1));
        two.put(done);

        assertThat(one.get(task.id())).contains(done);
        assertThat(one.open("shared")).isEmpty();
        assertThat(one.byOwner("frank")).containsExactly(done);
    }

    @Test
    void anUnreachableRedisIsAClear503WithinTheTimeout() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisConfig closed = new RedisConfig(new Secret("redis://:hunter2-secret@127.0.0.1:" + port + "/0"), prefix);
        long started = System.nanoTime();

        assertThatThrownBy(() -> RedisTaskStore.open(closed, clock))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TASK_STORE_UNAVAILABLE);
                    assertThat(e.getMessage()).startsWith(
                            "cannot connect to the Redis task store at 127.0.0.1:" + port + " (goldcrest.redis.url): ");
                    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                        assertThat(String.valueOf(cause.getMessage())).doesNotContain("hunter2");
                    }
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBlackHoledRedisTimesOutWithinTheConnectTimeout() throws IOException {
        // A listening socket that never answers: the connection opens but the handshake gets no reply.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RedisConfig config = new RedisConfig(new Secret("redis://127.0.0.1:" + silent.getLocalPort()), prefix);
            long started = System.nanoTime();

            assertThatThrownBy(() -> RedisTaskStore.open(config, clock))
                    .isInstanceOfSatisfying(GoldcrestException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TASK_STORE_UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void anInvalidUrlDoesNotQuoteIt() {
        RedisConfig bad = new RedisConfig(new Secret("redis://:pw-secret@127.0.0.1:99999"), prefix);

        assertThatThrownBy(() -> RedisTaskStore.open(bad, clock))
                .hasMessageContaining("goldcrest.redis.url: not a valid Redis URL")
                .hasMessageNotContaining("pw-secret");
    }

    @Test
    void keysStayUnderThePrefix() {
        TaskStore store = openStore();
        Task task = task("gina", "cluster", TaskState.QUEUED, start);
        store.put(task);
        store.lease("cluster", "instance-a", Duration.ofSeconds(5));

        List<String> keys = redis.scan(ScanArgs.Builder.matches(prefix + ":*gina*").limit(10_000)).getKeys();
        assertThat(keys).containsExactly(prefix + ":owner:gina");
        assertThat(redis.exists(prefix + ":task:" + task.id(), prefix + ":open:cluster", prefix + ":lease:cluster"))
                .isEqualTo(3);
    }
}
