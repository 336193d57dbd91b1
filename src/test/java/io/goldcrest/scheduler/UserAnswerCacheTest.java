package io.goldcrest.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UserAnswerCacheTest {
    private static final Duration TTL = Duration.ofSeconds(5);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
    private final UserAnswerCache<String, String> cache = new UserAnswerCache<>(clock);

    @Test
    void concurrentIdenticalRequestsShareOneInFlightLoad() throws Exception {
        int threads = 8;
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Supplier<String> load = () -> {
            loads.incrementAndGet();
            loading.countDown();
            await(release);
            return "jobs";
        };
        ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
        List<Thread> requests = new ArrayList<>();
        requests.add(Thread.ofPlatform().start(() -> answers.add(cache.get("lc", "alice", "list", TTL, load))));
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < threads; i++) {
            requests.add(Thread.ofPlatform().start(() -> answers.add(cache.get("lc", "alice", "list", TTL, load))));
        }

        // Every request is parked: one in the load, the others waiting for it.
        awaitParked(requests);
        assertThat(answers).isEmpty();
        release.countDown();
        for (Thread request : requests) {
            request.join();
        }

        assertThat(loads).hasValue(1);
        assertThat(answers).hasSize(threads).containsOnly("jobs");
    }

    @Test
    void answerIsReusedForTheTtlThenLoadedAgain() {
        AtomicInteger loads = new AtomicInteger();
        Supplier<String> load = () -> "answer " + loads.incrementAndGet();

        assertThat(cache.get("lc", "alice", "list", TTL, load)).isEqualTo("answer 1");
        clock.advance(TTL);
        assertThat(cache.get("lc", "alice", "list", TTL, load)).isEqualTo("answer 1");
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("lc", "alice", "list", TTL, load)).isEqualTo("answer 2");
        assertThat(cache.get("lc", "alice", "list", TTL, load)).isEqualTo("answer 2");
        assertThat(loads).hasValue(2);
    }

    /** The TTL runs from the end of the load, not its start. */
    @Test
    void ttlCountsFromWhenTheLoadEnded() {
        AtomicInteger loads = new AtomicInteger();
        Supplier<String> slowLoad = () -> {
            clock.advance(Duration.ofSeconds(10));
            return "answer " + loads.incrementAndGet();
        };

        assertThat(cache.get("lc", "alice", "list", TTL, slowLoad)).isEqualTo("answer 1");
        clock.advance(Duration.ofSeconds(4));
        assertThat(cache.get("lc", "alice", "list", TTL, () -> "not asked")).isEqualTo("answer 1");
    }

    @Test
    void differentUsersClustersAndRequestsNeverShare() {
        AtomicInteger loads = new AtomicInteger();

        String alice = cache.get("lc", "alice", "list", TTL, () -> "alice's " + loads.incrementAndGet());
        String bob = cache.get("lc", "bob", "list", TTL, () -> "bob's " + loads.incrementAndGet());
        String otherCluster = cache.get("other", "alice", "list", TTL, () -> "other's " + loads.incrementAndGet());
        String otherRequest = cache.get("lc", "alice", "job 5", TTL, () -> "job " + loads.incrementAndGet());

        assertThat(List.of(alice, bob, otherCluster, otherRequest)).containsExactly("alice's 1", "bob's 2", "other's 3", "job 4");
        assertThat(cache.get("lc", "bob", "list", TTL, () -> "not asked")).isEqualTo("bob's 2");
        assertThat(cache.get("lc", "alice", "list", TTL, () -> "not asked")).isEqualTo("alice's 1");
        assertThat(cache.size()).isEqualTo(4);
    }

    @Test
    void invalidateMakesTheUsersNextRequestsLoadAgainAndNoOneElses() {
        AtomicInteger loads = new AtomicInteger();
        cache.get("lc", "alice", "list", TTL, () -> "alice " + loads.incrementAndGet());
        cache.get("lc", "alice", "job 5", TTL, () -> "job " + loads.incrementAndGet());
        cache.get("lc", "bob", "list", TTL, () -> "bob " + loads.incrementAndGet());

        cache.invalidate("lc", "alice");

        assertThat(cache.get("lc", "alice", "list", TTL, () -> "alice " + loads.incrementAndGet())).isEqualTo("alice 4");
        assertThat(cache.get("lc", "alice", "job 5", TTL, () -> "job " + loads.incrementAndGet())).isEqualTo("job 5");
        assertThat(cache.get("lc", "bob", "list", TTL, () -> "not asked")).isEqualTo("bob 3");
        assertThat(cache.get("lc", "alice", "list", TTL, () -> "not asked")).isEqualTo("alice 4");
    }

    /** A load that began before the user's submit may miss the new job: later requests must not get it. */
    @Test
    void invalidateForcesAReloadEvenWhileAnOlderLoadIsInFlight() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> older = CompletableFuture.supplyAsync(() -> cache.get("lc", "alice", "list", TTL, () -> {
            loading.countDown();
            await(release);
            return "before submit";
        }));
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

        cache.invalidate("lc", "alice");
        String newer = cache.get("lc", "alice", "list", TTL, () -> "after submit");
        release.countDown();

        assertThat(newer).isEqualTo("after submit");
        assertThat(older.get(10, TimeUnit.SECONDS)).isEqualTo("before submit");
        assertThat(cache.get("lc", "alice", "list", TTL, () -> "not asked")).isEqualTo("after submit");
    }

    @Test
    void failureIsThrownButNotKept() {
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> cache.get("lc", "alice", "list", TTL, () -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(cache.size()).isZero();
        assertThat(cache.get("lc", "alice", "list", TTL, () -> "recovered")).isEqualTo("recovered");
    }

    @Test
    void errorIsThrownButNotKept() {
        AssertionError error = new AssertionError("broken");

        assertThatThrownBy(() -> cache.get("lc", "alice", "list", TTL, () -> {
            throw error;
        })).isSameAs(error);
        assertThat(cache.get("lc", "alice", "list", TTL, () -> "recovered")).isEqualTo("recovered");
    }

    /** Requests already waiting on a load that fails get its failure; the next one loads again. */
    @Test
    void failureIsSharedWithTheRequestsWaitingForIt() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("slurmctld down");
        AtomicInteger loads = new AtomicInteger();
        Supplier<String> failing = () -> {
            loads.incrementAndGet();
            loading.countDown();
            await(release);
            throw boom;
        };
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Runnable request = () -> {
            try {
                cache.get("lc", "alice", "list", TTL, failing);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        };
        Thread first = Thread.ofPlatform().start(request);
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
        Thread second = Thread.ofPlatform().start(request);
        awaitParked(List.of(first, second));
        release.countDown();
        first.join();
        second.join();

        assertThat(loads).hasValue(1);
        assertThat(failures).containsExactly(boom, boom);
        assertThat(cache.get("lc", "alice", "list", TTL, () -> "recovered")).isEqualTo("recovered");
    }

    @Test
    void zeroTtlAlwaysLoadsAndKeepsNothing() {
        AtomicInteger loads = new AtomicInteger();
        Supplier<String> load = () -> "answer " + loads.incrementAndGet();

        assertThat(cache.get("lc", "alice", "list", Duration.ZERO, load)).isEqualTo("answer 1");
        assertThat(cache.get("lc", "alice", "list", Duration.ZERO, load)).isEqualTo("answer 2");
        assertThat(cache.size()).isZero();
    }

    @Test
    void expiredEntriesAreSweptOnceThereAreMany() {
        for (int i = 0; i <= 1024; i++) {
            cache.get("lc", "alice", "job " + i, TTL, () -> "answer");
        }
        assertThat(cache.size()).isEqualTo(1025);
        clock.advance(TTL.plusMillis(1));

        cache.get("lc", "alice", "one more", TTL, () -> "answer");

        assertThat(cache.size()).isEqualTo(1);
    }

    /** Waits until each thread is parked (in the load's latch or waiting for the shared answer). */
    private static void awaitParked(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!threads.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING
                || thread.getState() == Thread.State.TIMED_WAITING)) {
            assertThat(System.nanoTime()).as("threads parked in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
