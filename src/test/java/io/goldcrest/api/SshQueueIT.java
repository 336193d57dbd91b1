package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.RootCommands;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-user cap on SSH work waiting for a channel: 2 channels per connection and 2 waiting requests
 * per user (the least that leaves room for the dev cluster's 4 health probes). bob's {@code head} of a
 * FIFO holds its channel until the test writes to the FIFO, so which requests hold, wait or are
 * refused does not depend on timing: with both channels held, of five more requests two wait and
 * three are refused at once with 429. (bob, because the health probes run as alice.)
 */
class SshQueueIT {
    private static final int CHANNELS = 2;
    private static final int QUEUE = 2;
    private static final int MORE = 5;
    private static Goldcrest goldcrest;
    private static ApiClient client;
    private static String bob;
    private static String dir;

    @BeforeAll
    static void start() {
        String yaml = LocalServices.devConfigYaml()
                .replace("max_channels_per_connection: 64", "max_channels_per_connection: " + CHANNELS)
                // Long enough that only the test's writes end the blocked reads.
                .replace("command_execution: 5", "command_execution: 30")
                .replace("goldcrest:\n  server:", "goldcrest:\n  gateway: {ssh_queue_per_user: " + QUEUE + "}\n  server:");
        goldcrest = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        bob = LocalServices.mockToken("bob");
        dir = "/tmp/goldcrest-sshqueue-" + UUID.randomUUID();
        RootCommands.sh("set -e\nmkdir \"$1\"\nmkfifo \"$1/fifo\"\necho hello > \"$1/file\"\nchown -R bob \"$1\"\n", dir);
    }

    @AfterAll
    static void stop() {
        goldcrest.close();
        RootCommands.run("rm", "-rf", dir);
    }

    @Test
    void requestsBeyondTheChannelsAndTheQueueAreRefusedAtOnce() throws Exception {
        String fifo = dir + "/fifo";
        List<CompletableFuture<ApiClient.Response>> holding = new ArrayList<>();
        List<CompletableFuture<ApiClient.Response>> more = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CHANNELS; i++) {
                holding.add(CompletableFuture.supplyAsync(() -> head(fifo), threads));
            }
            awaitReaders(fifo, CHANNELS);
            for (int i = 0; i < MORE; i++) {
                more.add(CompletableFuture.supplyAsync(() -> head(fifo), threads));
            }
            // The refusals come at once; the waiting request cannot end before a write to the FIFO.
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (more.stream().filter(CompletableFuture::isDone).count() < MORE - QUEUE && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<ApiClient.Response> refused = more.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
            assertThat(refused).hasSize(MORE - QUEUE);
            for (ApiClient.Response response : refused) {
                assertThat(response.status()).as(response.text()).isEqualTo(429);
                assertThat(response.header("Retry-After")).isEqualTo("1");
                assertThat(response.json().get("message").asText()).isEqualTo("Too many requests of user 'bob' are waiting for an SSH "
                        + "channel on system 'cluster' (at most " + QUEUE + " may wait); retry in 1 s");
            }
            assertThat(holding).noneMatch(CompletableFuture::isDone);

            // Each write ends the reads open on the FIFO; the waiting request then gets a channel and reads too.
            List<CompletableFuture<ApiClient.Response>> all = new ArrayList<>(holding);
            all.addAll(more);
            while (!all.stream().allMatch(CompletableFuture::isDone)) {
                RootCommands.sh("timeout 5 sh -c 'echo x > \"$1\"' _ \"$1\" || true", fifo);
            }
            assertThat(all.stream().filter(future -> future.join().status() == 200)).hasSize(CHANNELS + QUEUE);
            assertThat(all.stream().filter(future -> future.join().status() == 429)).hasSize(MORE - QUEUE);
        }

        ApiClient.Response after = head(dir + "/file");
        assertThat(after.status()).as(after.text()).isEqualTo(200);
        assertThat(after.json().at("/output/content").asText()).isEqualTo("hello\n");

        // Each refusal is counted as a gateway denial of kind ssh_queue (none other was made here).
        MetricsIT.Samples samples = MetricsIT.Samples.parse(new ApiClient(goldcrest.metricsPort().orElseThrow()).get("/metrics", null).text());
        assertThat(samples.value("goldcrest_gateway_denials_total", Map.of("kind", "ssh_queue", "service", "filesystem")))
                .isEqualTo(MORE - QUEUE);
    }

    private static ApiClient.Response head(String path) {
        return client.get("/filesystem/cluster/ops/head?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8), bob);
    }

    /** Until {@code count} {@code head} processes have the FIFO open for reading (they hold their channels). */
    private static void awaitReaders(String fifo, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            String found = RootCommands.sh("pgrep -c -f -- \"^head --lines=10 -- $1\\$\" || true", fifo).strip();
            if (Integer.parseInt(found) == count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(count + " head processes did not start within 60 s");
    }
}
