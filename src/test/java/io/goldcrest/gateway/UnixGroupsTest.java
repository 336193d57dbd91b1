package io.goldcrest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UnixGroupsTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final AtomicInteger reads = new AtomicInteger();
    private final UnixGroups groups = new UnixGroups((system, user) -> {
        reads.incrementAndGet();
        return Set.of(user);
    }, Duration.ofMinutes(1), clock);

    private void fill() {
        for (int index = 0; index < UnixGroups.MAX_ENTRIES; index++) {
            groups.of("cluster", "user" + index);
        }
        assertThat(groups.size()).isEqualTo(UnixGroups.MAX_ENTRIES);
        assertThat(groups.of("cluster", "user0")).containsExactly("user0");
        assertThat(reads.get()).as("user0 was still cached").isEqualTo(UnixGroups.MAX_ENTRIES);
    }

    @Test
    void whenFullTheExpiredEntriesGoFirst() {
        fill();
        clock.advance(Duration.ofSeconds(30));
        groups.of("cluster", "fresh");
        clock.advance(Duration.ofSeconds(30));
        groups.of("cluster", "newcomer");
        assertThat(groups.size()).as("all but 'fresh' had expired").isEqualTo(2);
        groups.of("cluster", "fresh");
        assertThat(reads.get()).isEqualTo(UnixGroups.MAX_ENTRIES + 2);
    }

    @Test
    void whenFullOfLiveEntriesAllGo() {
        fill();
        groups.of("cluster", "newcomer");
        assertThat(groups.size()).isEqualTo(1);
    }
}
