package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.config.GatewayConfig.Limit;
import io.goldcrest.gateway.RateLimiter.Decision;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The RateLimit-* fields and the refusal message a client reads. */
class RateLimitHeadersTest {

    @Test
    void fieldsFollowTheDraftsSeparateFieldForm() {
        Decision decision = new Decision(true, 7, new Limit(10, Duration.ofMinutes(1)), 18, 0);
        assertThat(RateLimitFilter.headers(decision)).containsExactly(
                java.util.Map.entry("RateLimit-Limit", "10"),
                java.util.Map.entry("RateLimit-Remaining", "7"),
                java.util.Map.entry("RateLimit-Reset", "18"),
                java.util.Map.entry("RateLimit-Policy", "10;w=60"));
    }

    @Test
    void theRefusalNamesTheLimitWhoseItIsAndWhenToRetry() {
        Decision refused = new Decision(false, 0, new Limit(5, Duration.ofSeconds(60)), 60, 12);
        assertThat(RateLimitFilter.message(refused, "compute", "user 'alice' (client 'x')"))
                .isEqualTo("Rate limit of 5 requests per 60 s for compute reached for user 'alice' (client 'x'); retry in 12 s");
    }
}
