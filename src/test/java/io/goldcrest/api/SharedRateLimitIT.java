package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Goldcrest instances, one user bursting at both at once. On one Redis (the local one, a fresh
 * key prefix per run) they enforce one limit; with local buckets each enforces its own, so together
 * they allow about twice as much, which shows the sharing is real. Capacity 40 per hour: the refill
 * during a test (a token every 90 s) is negligible, so the counts are the limits themselves.
 */
class SharedRateLimitIT {
    private static final int CAPACITY = 40;
    private static final int REQUESTS = 120;
    private static String alice;

    @BeforeAll
    static void token() {
        alice = LocalServices.mockToken("alice");
    }

    @Test
    void twoInstancesOnOneRedisEnforceOneSharedLimit() throws Exception {
        String prefix = "it-ratelimit-" + UUID.randomUUID();
        String yaml = yaml("redis", LocalServices.redisUrl(), prefix);
        try (Goldcrest one = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC());
             Goldcrest two = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC())) {
            Counts counts = burst(one, two);
            System.out.printf("shared limit (redis): %s of capacity %d%n", counts, CAPACITY);
            assertThat(counts.allowed()).as(counts.toString()).isBetween(CAPACITY * 9 / 10, CAPACITY * 11 / 10);
            assertThat(counts.allowedByOne()).as("both instances served some").isPositive();
            assertThat(counts.allowedByTwo()).as("both instances served some").isPositive();
        }
        // One bucket for (client, alice, tasks), due to expire once it has refilled (within the hour).
        RedisClient redis = RedisClient.create(LocalServices.redisUrl());
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            List<String> keys = connection.sync().keys(prefix + ":ratelimit:*");
            assertThat(keys).hasSize(1);
            assertThat(keys.getFirst()).contains("tasks").contains("alice");
            assertThat(connection.sync().pttl(keys.getFirst())).isBetween(1L, 3_601_000L);
            connection.sync().del(keys.toArray(String[]::new));
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void withLocalBucketsEachInstanceCountsAlone() throws Exception {
        assertEachCountsAlone("local control", yaml("local", LocalServices.redisUrl(), "it-ratelimit-" + UUID.randomUUID()));
    }

    /** Nothing listens on port 1: the instances start, and each limits on its own (see RedisBuckets). */
    @Test
    void withRedisUnreachableEachInstanceStillLimitsAlone() throws Exception {
        assertEachCountsAlone("redis unreachable", yaml("redis", "redis://127.0.0.1:1", "it-ratelimit-" + UUID.randomUUID()));
    }

    private static void assertEachCountsAlone(String what, String yaml) throws Exception {
        try (Goldcrest one = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC());
             Goldcrest two = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC())) {
            Counts counts = burst(one, two);
            System.out.printf("%s: %s of capacity %d per instance%n", what, counts, CAPACITY);
            assertThat(counts.allowedByOne()).isEqualTo(CAPACITY);
            assertThat(counts.allowedByTwo()).isEqualTo(CAPACITY);
        }
    }

    /**
     * Redis going away under a running instance (a relay between them is cut): requests are counted
     * in the instance's own buckets, which start full; once the relay is back and Lettuce has
     * reconnected, the Redis bucket, with what it held before, is used again.
     */
    @Test
    void whenRedisFailsMidwayTheInstanceCountsAloneUntilItIsBack() throws Exception {
        URI redisUri = URI.create(LocalServices.redisUrl());
        String prefix = "it-ratelimit-" + UUID.randomUUID();
        try (Relay relay = new Relay(redisUri.getPort())) {
            String yaml = yaml("redis", "redis://127.0.0.1:" + relay.port(), prefix).replace("capacity: " + CAPACITY, "capacity: 5");
            try (Goldcrest goldcrest = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC())) {
                ApiClient client = new ApiClient(goldcrest.port());
                assertThat(take(client, 3)).containsExactly(4L, 3L, 2L);

                relay.cut();
                assertThat(take(client, 5)).as("a fresh local bucket").containsExactly(4L, 3L, 2L, 1L, 0L);
                assertThat(client.get("/tasks", alice).status()).isEqualTo(429);

                relay.resume();
                // The local bucket is empty: the first 200 comes from Redis, which still holds 2 tokens.
                ApiClient.Response back = null;
                for (long deadline = System.nanoTime() + 90_000_000_000L; back == null && System.nanoTime() < deadline; ) {
                    ApiClient.Response response = client.get("/tasks", alice);
                    if (response.status() == 200) {
                        back = response;
                    } else {
                        Thread.sleep(500);
                    }
                }
                assertThat(back).as("Redis used again within 90 s").isNotNull();
                assertThat(back.header("RateLimit-Remaining")).isEqualTo("1");
            }
        }
    }

    /** {@code count} requests for alice's tasks, each answered 200; the RateLimit-Remaining of each. */
    private static List<Long> take(ApiClient client, int count) {
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ApiClient.Response response = client.get("/tasks", alice);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            remaining.add(Long.parseLong(response.header("RateLimit-Remaining")));
        }
        return remaining;
    }

    /** A TCP relay to the local Redis that the test can cut and resume on the same port. */
    private static final class Relay implements AutoCloseable {
        private final int target;
        private final int port;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile ServerSocket server;

        Relay(int target) throws IOException {
            this.target = target;
            this.server = listen(0);
            this.port = server.getLocalPort();
            accept(server);
        }

        int port() {
            return port;
        }

        void cut() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            sockets.clear();
        }

        void resume() throws IOException {
            server = listen(port);
            accept(server);
        }

        private static ServerSocket listen(int port) throws IOException {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        }

        private void accept(ServerSocket listening) {
            Thread.ofVirtual().start(() -> {
                while (!listening.isClosed()) {
                    try {
                        Socket client = listening.accept();
                        Socket redis = new Socket(InetAddress.getLoopbackAddress(), target);
                        sockets.add(client);
                        sockets.add(redis);
                        pipe(client, redis);
                        pipe(redis, client);
                    } catch (IOException e) {
                        // Closed by cut(), or Redis refused: the client sees its connection end.
                    }
                }
            });
        }

        private static void pipe(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException e) {
                    // One side closed.
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException e) {
                        // Already closed.
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            cut();
        }
    }

    private static String yaml(String store, String redisUrl, String prefix) {
        return LocalServices.devConfigYaml().replace("goldcrest:\n  server:", """
                goldcrest:
                  redis: {url: "%s", key_prefix: "%s"}
                  gateway:
                    rate_limits:
                      store: %s
                      per_user: {capacity: %d, period: 1h}
                  server:""".formatted(redisUrl, prefix, store, CAPACITY));
    }

    record Counts(int allowedByOne, int allowedByTwo, int refused) {
        int allowed() {
            return allowedByOne + allowedByTwo;
        }

        @Override
        public String toString() {
            return "allowed " + allowed() + " (" + allowedByOne + " + " + allowedByTwo + "), refused " + refused;
        }
    }

    /** {@value #REQUESTS} requests for alice's tasks, alternating between the instances, 16 at a time. */
    private static Counts burst(Goldcrest one, Goldcrest two) throws Exception {
        ApiClient first = new ApiClient(one.port());
        ApiClient second = new ApiClient(two.port());
        List<Future<int[]>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < REQUESTS; i++) {
                int instance = i % 2;
                ApiClient client = instance == 0 ? first : second;
                results.add(pool.submit(() -> new int[] {instance, client.get("/tasks", alice).status()}));
            }
        }
        int[] allowed = new int[2];
        int refused = 0;
        for (Future<int[]> result : results) {
            int[] answer = result.get();
            assertThat(answer[1]).isIn(200, 429);
            if (answer[1] == 200) {
                allowed[answer[0]]++;
            } else {
                refused++;
            }
        }
        return new Counts(allowed[0], allowed[1], refused);
    }
}
