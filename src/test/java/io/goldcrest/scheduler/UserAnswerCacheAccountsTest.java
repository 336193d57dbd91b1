package io.goldcrest.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache as StatusService uses it for userinfo's accounts: one fixed question per (cluster, user). */
class UserAnswerCacheAccountsTest {
    private static final String ACCOUNTS = "accounts";
    private final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final AtomicInteger lookups = new AtomicInteger();

    private Optional<List<Account>> lookup() {
        lookups.incrementAndGet();
        return Optional.of(List.of(new Account("proj" + lookups.get(), true)));
    }

    @Test
    void keepsAccountsPerClusterAndUserForTheTtl() {
        UserAnswerCache<String, Optional<List<Account>>> cache = new UserAnswerCache<>(clock);
        Duration ttl = Duration.ofSeconds(60);
        Optional<List<Account>> first = cache.get("cluster", "alice", ACCOUNTS, ttl, this::lookup);
        assertThat(cache.get("cluster", "alice", ACCOUNTS, ttl, this::lookup)).isEqualTo(first);
        assertThat(lookups).hasValue(1);

        assertThat(cache.get("cluster", "bob", ACCOUNTS, ttl, this::lookup)).isNotEqualTo(first);
        assertThat(cache.get("other", "alice", ACCOUNTS, ttl, this::lookup)).isNotEqualTo(first);
        assertThat(lookups).hasValue(3);

        clock.advance(Duration.ofSeconds(61));
        assertThat(cache.get("cluster", "alice", ACCOUNTS, ttl, this::lookup)).isNotEqualTo(first);
        assertThat(lookups).hasValue(4);
    }

    @Test
    void concurrentMissesShareOneLookupAndFailuresAreNotCached() throws Exception {
        UserAnswerCache<String, Optional<List<Account>>> cache = new UserAnswerCache<>(clock);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Optional<List<Account>>>> results = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                results.add(threads.submit(() -> cache.get("cluster", "alice", ACCOUNTS, Duration.ofSeconds(60), () -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return lookup();
                })));
            }
            Thread.sleep(200);
            release.countDown();
        }
        for (var result : results) {
            assertThat(result.get()).contains(List.of(new Account("proj1", true)));
        }
        assertThat(lookups).hasValue(1);

        clock.advance(Duration.ofSeconds(61));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.get("cluster", "alice", ACCOUNTS, Duration.ofSeconds(60), () -> {
            throw new IllegalStateException("slurmdbd down");
        })).hasMessage("slurmdbd down");
        assertThat(cache.get("cluster", "alice", ACCOUNTS, Duration.ofSeconds(60), this::lookup)).contains(List.of(new Account("proj2", true)));
    }

    @Test
    void aZeroTtlAlwaysLooksUp() {
        UserAnswerCache<String, Optional<List<Account>>> cache = new UserAnswerCache<>(clock);
        cache.get("cluster", "alice", ACCOUNTS, Duration.ZERO, this::lookup);
        cache.get("cluster", "alice", ACCOUNTS, Duration.ZERO, this::lookup);
        assertThat(lookups).hasValue(2);
    }
}
