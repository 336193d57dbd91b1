package io.goldcrest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.ssh.RemoteOperation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Prometheus text each kind of event produces. */
class MetricsTest {
    private final Metrics metrics = new Metrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void denialsAreCountedByKindAndService() {
        metrics.denied("rate_limit", "compute");
        metrics.denied("rate_limit", "compute");
        metrics.denied("authorization", "filesystem");

        String text = metrics.scrape();
        assertThat(text).contains("# TYPE goldcrest_gateway_denials_total counter");
        assertThat(text).contains("goldcrest_gateway_denials_total{kind=\"rate_limit\",service=\"compute\"} 2.0\n");
        assertThat(text).contains("goldcrest_gateway_denials_total{kind=\"authorization\",service=\"filesystem\"} 1.0\n");
    }

    @Test
    void requestsHaveALatencyHistogramByRouteTemplate() {
        metrics.request("GET", "/compute/{system_name}/jobs", 200, Duration.ofMillis(30).toNanos());
        metrics.request("GET", "/compute/{system_name}/jobs", 200, Duration.ofMillis(300).toNanos());
        metrics.request("GET", Metrics.UNMATCHED, 404, Duration.ofMillis(1).toNanos());

        String text = metrics.scrape();
        String labels = "method=\"GET\",route=\"/compute/{system_name}/jobs\",status=\"200\"";
        assertThat(text).contains("# TYPE goldcrest_http_server_requests_seconds histogram");
        assertThat(text).contains("goldcrest_http_server_requests_seconds_count{" + labels + "} 2\n");
        assertThat(text).contains("goldcrest_http_server_requests_seconds_bucket{" + labels + ",le=\"0.025\"} 0\n");
        assertThat(text).contains("goldcrest_http_server_requests_seconds_bucket{" + labels + ",le=\"0.05\"} 1\n");
        assertThat(text).contains("goldcrest_http_server_requests_seconds_bucket{" + labels + ",le=\"0.5\"} 2\n");
        assertThat(text).contains("goldcrest_http_server_requests_seconds_bucket{" + labels + ",le=\"+Inf\"} 2\n");
        assertThat(text).contains("goldcrest_http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n");
        // A modest histogram: 12 bounds and +Inf per series.
        assertThat(text.lines().filter(line -> line.startsWith("goldcrest_http_server_requests_seconds_bucket{" + labels))).hasSize(13);
    }

    @Test
    void remoteOperationsHaveLatencyByNameAndCountsByOutcome() {
        metrics.finished(new RemoteOperation("cluster", "alice", "exec", "squeue", Optional.of(0), Optional.empty(), Duration.ofMillis(40)));
        metrics.finished(new RemoteOperation("cluster", "alice", "exec", "squeue", Optional.of(1), Optional.of("SCHEDULER_ERROR"),
                Duration.ofMillis(40)));
        metrics.finished(new RemoteOperation("cluster", "bob", "exec", "ls", Optional.of(2), Optional.empty(), Duration.ofMillis(4)));

        String text = metrics.scrape();
        assertThat(text).contains("goldcrest_remote_operation_seconds_count{kind=\"exec\",name=\"squeue\",system=\"cluster\"} 2\n");
        assertThat(text).contains("goldcrest_remote_operations_total{kind=\"exec\",name=\"squeue\",outcome=\"ok\",system=\"cluster\"} 1.0\n");
        assertThat(text).contains(
                "goldcrest_remote_operations_total{kind=\"exec\",name=\"squeue\",outcome=\"scheduler_error\",system=\"cluster\"} 1.0\n");
        assertThat(text).contains("goldcrest_remote_operations_total{kind=\"exec\",name=\"ls\",outcome=\"exit_nonzero\",system=\"cluster\"} 1.0\n");
        assertThat(text).doesNotContain("alice").doesNotContain("bob");
    }

    @Test
    void healthGaugesReadTheLatestResultsWhenScraped() {
        Instant checked = Instant.parse("2026-03-01T10:00:00Z");
        metrics.watchHealth(() -> List.of(
                new Metrics.HealthReading("cluster", "ssh", "", true, 0.25, checked),
                new Metrics.HealthReading("cluster", "filesystem", "/home", false, 5.0, checked)),
                Clock.fixed(checked.plusSeconds(42), ZoneOffset.UTC));

        String text = metrics.scrape();
        assertThat(text).contains("goldcrest_health_check_up{path=\"\",service=\"ssh\",system=\"cluster\"} 1.0\n");
        assertThat(text).contains("goldcrest_health_check_up{path=\"/home\",service=\"filesystem\",system=\"cluster\"} 0.0\n");
        assertThat(text).contains("goldcrest_health_check_latency_seconds{path=\"\",service=\"ssh\",system=\"cluster\"} 0.25\n");
        assertThat(text).contains("goldcrest_health_check_age_seconds{path=\"/home\",service=\"filesystem\",system=\"cluster\"} 42.0\n");
    }

    @Test
    void theJvmIsDescribedToo() {
        assertThat(metrics.scrape()).contains("jvm_memory_used_bytes{").contains("jvm_threads_live_threads ").contains("process_uptime_seconds ");
    }
}
