package io.goldcrest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.TestClock;
import io.goldcrest.config.ApiService;
import io.goldcrest.config.GatewayConfig.Limit;
import io.goldcrest.config.GatewayConfig.RateLimits;
import io.goldcrest.gateway.RateLimiter.Decision;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The local limiter on a clock the test moves: what each request takes and what it is told. */
class RateLimiterTest {
    private static final Limit PER_USER = new Limit(3, Duration.ofSeconds(3));
    private static final Limit COMPUTE = new Limit(5, Duration.ofSeconds(60));
    private static final Limit PER_ADDRESS = new Limit(2, Duration.ofSeconds(10));
    private static final Optional<String> CLIENT = Optional.of("portal");

    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final RateLimiter limiter = new RateLimiter(Optional.of(new RateLimits(false, PER_USER,
            Map.of(ApiService.COMPUTE, COMPUTE), PER_ADDRESS)), new LocalBuckets(clock));

    @Test
    void aBurstEmptiesTheBucketThenOneTokenComesBackPerPeriodOverCapacity() {
        for (long remaining = 2; remaining >= 0; remaining--) {
            Decision decision = status();
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(remaining);
            assertThat(decision.limit()).isEqualTo(PER_USER);
            assertThat(decision.retryAfterSeconds()).isZero();
        }
        Decision refused = status();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        // 3 tokens per 3 s: one is back after 1 s, all of them after 3 s.
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.resetSeconds()).isEqualTo(3);

        clock.advance(Duration.ofMillis(999));
        assertThat(status().allowed()).isFalse();
        clock.advance(Duration.ofMillis(1));
        Decision again = status();
        assertThat(again.allowed()).isTrue();
        assertThat(again.remaining()).isZero();
        assertThat(status().allowed()).isFalse();

        clock.advance(Duration.ofSeconds(3));
        assertThat(status().remaining()).isEqualTo(2);
    }

    @Test
    void secondsAreRoundedUpSoAClientWaitingThemIsNeverEarly() {
        for (int i = 0; i < 5; i++) {
            assertThat(compute("alice").allowed()).isTrue();
        }
        clock.advance(Duration.ofMillis(500));
        Decision refused = compute("alice");
        // A token every 12 s; 11.5 s to go is told as 12, the full bucket 59.5 s away as 60.
        assertThat(refused.retryAfterSeconds()).isEqualTo(12);
        assertThat(refused.resetSeconds()).isEqualTo(60);
        assertThat(refused.limit()).isEqualTo(COMPUTE);
    }

    @Test
    void eachUserClientAndServiceHasItsOwnBucket() {
        for (int i = 0; i < 5; i++) {
            compute("alice");
        }
        assertThat(compute("alice").allowed()).isFalse();
        assertThat(compute("bob").allowed()).isTrue();
        assertThat(limiter.consumeUser(Optional.of("other-client"), "alice", Optional.of(ApiService.COMPUTE)).allowed()).isTrue();
        assertThat(limiter.consumeUser(Optional.empty(), "alice", Optional.of(ApiService.COMPUTE)).allowed()).isTrue();
        Decision status = limiter.consumeUser(CLIENT, "alice", Optional.of(ApiService.STATUS));
        assertThat(status.allowed()).isTrue();
        assertThat(status.limit()).isEqualTo(PER_USER);
    }

    @Test
    void namesWithSeparatorsDoNotShareABucket() {
        // Unencoded, both would be the key "...:a:b:c".
        for (int i = 0; i < 3; i++) {
            limiter.consumeUser(Optional.of("a:b"), "c", Optional.of(ApiService.STATUS));
        }
        assertThat(limiter.consumeUser(Optional.of("a:b"), "c", Optional.of(ApiService.STATUS)).allowed()).isFalse();
        assertThat(limiter.consumeUser(Optional.of("a"), "b:c", Optional.of(ApiService.STATUS)).allowed()).isTrue();
    }

    @Test
    void routesOutsideTheServicesShareOneBucketPerUserAtThePerUserLimit() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.consumeUser(CLIENT, "alice", Optional.empty()).allowed()).isTrue();
        }
        Decision refused = limiter.consumeUser(CLIENT, "alice", Optional.empty());
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo(PER_USER);
        assertThat(status().allowed()).as("the status bucket is another one").isTrue();
    }

    @Test
    void addressesHaveTheirOwnBuckets() throws Exception {
        InetAddress one = InetAddress.getByName("192.0.2.1");
        InetAddress two = InetAddress.getByName("2001:db8::1");
        assertThat(limiter.consumeAddress(one).remaining()).isEqualTo(1);
        assertThat(limiter.consumeAddress(one).remaining()).isZero();
        Decision refused = limiter.consumeAddress(one);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo(PER_ADDRESS);
        assertThat(refused.retryAfterSeconds()).isEqualTo(5);
        assertThat(limiter.consumeAddress(two).allowed()).isTrue();
    }

    @Test
    void withoutRateLimitsNothingIsCounted() {
        RateLimiter off = new RateLimiter(Optional.empty(), null);
        assertThat(off.enabled()).isFalse();
        off.close();
    }

    @Test
    void bucketsIdleForTheirPeriodAreForgottenAndTheMapStaysBounded() {
        LocalBuckets buckets = new LocalBuckets(clock, 10);
        Limit limit = new Limit(1, Duration.ofSeconds(60));
        assertThat(buckets.consume("a", limit).isConsumed()).isTrue();
        clock.advance(Duration.ofSeconds(59));
        buckets.sweep(clock.millis());
        assertThat(buckets.size()).as("not yet full again: kept").isEqualTo(1);
        assertThat(buckets.consume("a", limit).isConsumed()).isFalse();
        clock.advance(Duration.ofSeconds(60));
        buckets.sweep(clock.millis());
        assertThat(buckets.size()).isZero();

        // Over the cap, the least recently used go first; the newest keep their state.
        for (int i = 0; i < 10; i++) {
            buckets.consume("key" + i, limit);
            clock.advance(Duration.ofMillis(10));
        }
        assertThat(buckets.consume("new", limit).isConsumed()).isTrue();
        assertThat(buckets.size()).isLessThanOrEqualTo(10);
        assertThat(buckets.consume("key9", limit).isConsumed()).as("recent: still empty").isFalse();
        assertThat(buckets.consume("key0", limit).isConsumed()).as("oldest: forgotten").isTrue();
    }

    @Test
    void theRegularSweepRunsFromRequests() {
        LocalBuckets buckets = new LocalBuckets(clock);
        Limit limit = new Limit(1, Duration.ofSeconds(1));
        buckets.consume("a", limit);
        clock.advance(Duration.ofSeconds(31));
        buckets.consume("b", limit);
        assertThat(buckets.size()).isEqualTo(1);
    }

    private Decision status() {
        return limiter.consumeUser(CLIENT, "alice", Optional.of(ApiService.STATUS));
    }

    private Decision compute(String user) {
        return limiter.consumeUser(CLIENT, user, Optional.of(ApiService.COMPUTE));
    }
}
