package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits end to end on one instance with local buckets: what a client is told on each request,
 * the 429 past the limit and the retry it allows. Each test uses its own (user, service) buckets, so
 * they hold whatever the order. Most limits are per hour, so no token comes back during a test and
 * the counts are exact; the one test that waits for a token uses a 6 s period.
 */
class RateLimitIT {
    private static final String JOBS = "/compute/cluster/jobs";
    private static Goldcrest goldcrest;
    private static ApiClient client;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        String yaml = LocalServices.devConfigYaml().replace("goldcrest:\n  server:", """
                goldcrest:
                  gateway:
                    trusted_proxies: ["127.0.0.1/32"]
                    rate_limits:
                      store: local
                      per_user: {capacity: 3, period: 1h}
                      services:
                        status: {capacity: 3, period: 6s}
                      per_address: {capacity: 3, period: 1h}
                  server:""");
        goldcrest = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        alice = LocalServices.mockToken("alice");
        bob = LocalServices.mockToken("bob");
    }

    @AfterAll
    static void stop() {
        goldcrest.close();
    }

    @Test
    void aBurstPastTheLimitGets429WithFieldsAClientCanActOn() {
        for (long remaining = 2; remaining >= 0; remaining--) {
            ApiClient.Response ok = client.get(JOBS, alice);
            assertThat(ok.status()).as(ok.text()).isEqualTo(200);
            Quota quota = Quota.of(ok);
            assertThat(quota.limit()).isEqualTo(3);
            assertThat(quota.remaining()).isEqualTo(remaining);
            assertThat(quota.policy()).isEqualTo("3;w=3600");
            // Full again once the tokens taken so far are back: 1200 s each.
            assertThat(quota.reset()).isBetween(1L, (3 - remaining) * 1200);
            assertThat(ok.header("Retry-After")).isNull();
        }
        ApiClient.Response refused = client.get(JOBS, alice);
        assertThat(refused.status()).isEqualTo(429);
        Quota quota = Quota.of(refused);
        assertThat(quota.limit()).isEqualTo(3);
        assertThat(quota.remaining()).isZero();
        assertThat(quota.reset()).isBetween(3600 - 60L, 3600L);
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        // One token every 1200 s.
        assertThat(retryAfter).isBetween(1L, 1200L);
        JsonNode body = refused.json();
        assertThat(body.get("errorType").asText()).isEqualTo("error");
        assertThat(body.get("user").asText()).isEqualTo("alice");
        // The mock IdP's tokens name their client in azp.
        assertThat(body.get("message").asText()).isEqualTo("Rate limit of 3 requests per 3600 s for compute reached for user 'alice' "
                + "(client 'goldcrest-cli'); retry in " + retryAfter + " s");

        // Other users and other services have buckets of their own.
        ApiClient.Response bobsJobs = client.get(JOBS, bob);
        assertThat(bobsJobs.status()).as(bobsJobs.text()).isEqualTo(200);
        assertThat(Quota.of(bobsJobs).remaining()).isEqualTo(2);
        ApiClient.Response alicesStatus = client.get("/status/systems", alice);
        assertThat(alicesStatus.status()).isEqualTo(200);
        assertThat(Quota.of(alicesStatus).policy()).isEqualTo("3;w=6");
        assertThat(client.get(JOBS, alice).status()).as("still refused").isEqualTo(429);
    }

    @Test
    void afterWaitingRetryAfterTheRequestSucceeds() throws InterruptedException {
        // status: 3 per 6 s, a token every 2 s. Requests until refused (a token may come back meanwhile).
        ApiClient.Response refused = null;
        for (int attempt = 0; attempt < 20 && refused == null; attempt++) {
            ApiClient.Response response = client.get("/status/systems", bob);
            if (response.status() == 429) {
                refused = response;
            } else {
                assertThat(response.status()).isEqualTo(200);
            }
        }
        assertThat(refused).as("refused within 20 requests").isNotNull();
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 2L);
        Thread.sleep(retryAfter * 1000);
        ApiClient.Response again = client.get("/status/systems", bob);
        assertThat(again.status()).as(again.text()).isEqualTo(200);
    }

    @Test
    void routesWithoutATokenAreLimitedPerSourceAddress() {
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ApiClient.Response ok = liveness("192.0.2.10");
            assertThat(ok.status()).isEqualTo(200);
            remaining.add(Quota.of(ok).remaining());
        }
        assertThat(remaining).containsExactly(2L, 1L, 0L);
        ApiClient.Response refused = liveness("192.0.2.10");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 1200L);
        assertThat(refused.json().get("message").asText())
                .startsWith("Rate limit of 3 requests per 3600 s for requests without a token reached for address 192.0.2.10; retry in ");
        assertThat(refused.json().get("user").isNull()).isTrue();

        ApiClient.Response other = liveness("192.0.2.11");
        assertThat(other.status()).isEqualTo(200);
        assertThat(Quota.of(other).remaining()).isEqualTo(2);
    }

    @Test
    void v1RequestsAreLimitedWithTheSameFieldsInV1sShape() {
        // v1 tasks: the tasks service's bucket of (client, alice), 3 per hour.
        for (long remaining = 2; remaining >= 0; remaining--) {
            ApiClient.Response ok = client.get("/v1/tasks/", alice);
            assertThat(ok.status()).as(ok.text()).isEqualTo(200);
            assertThat(Quota.of(ok).remaining()).isEqualTo(remaining);
        }
        ApiClient.Response refused = client.get("/v1/tasks/", alice);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Quota.of(refused).remaining()).isZero();
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 1200L);
        assertThat(refused.json().get("error").asText()).startsWith("Rate limit of 3 requests per 3600 s for tasks reached for user 'alice'");
        assertThat(refused.json().has("errorType")).as("v1's shape, not v2's").isFalse();
        // The v2 tasks route takes from the same bucket: the service is what counts, not the API version.
        assertThat(client.get("/tasks", alice).status()).isEqualTo(429);
    }

    private static ApiClient.Response liveness(String forwardedFor) {
        return client.send("GET", "/status/liveness", null, Map.of("X-Forwarded-For", forwardedFor), null, null);
    }

    /** The RateLimit-* fields as a client parses them. */
    record Quota(long limit, long remaining, long reset, String policy) {
        static Quota of(ApiClient.Response response) {
            assertThat(response.header("RateLimit-Limit")).as("RateLimit-Limit on %s", response.status()).isNotNull();
            return new Quota(Long.parseLong(response.header("RateLimit-Limit")), Long.parseLong(response.header("RateLimit-Remaining")),
                    Long.parseLong(response.header("RateLimit-Reset")), response.header("RateLimit-Policy"));
        }
    }
}
