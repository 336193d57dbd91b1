package io.goldcrest.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.status.ServiceHealth.ServiceType;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Probes against the real cluster: failures become unhealthy results with the reason, and gate requests. */
class HealthMonitorIT {
    @Test
    void aMissingFileSystemIsReportedUnhealthyWithTheRemoteError() {
        GoldcrestConfig config = LocalServices.config(LocalServices.devConfigYaml()
                .replace("{path: \"/tmp\", data_type: \"scratch\"}", "{path: \"/no/such/fs\", data_type: \"scratch\"}"));
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            ClusterConfig cluster = config.clusters().getFirst();
            ClusterHealth health = goldcrest.health().runOnce(cluster);

            assertThat(health.latest(ServiceType.SSH).orElseThrow().healthy()).isTrue();
            ServiceHealth scheduler = health.latest(ServiceType.SCHEDULER).orElseThrow();
            assertThat(scheduler.healthy()).isTrue();
            assertThat(scheduler.message().orElseThrow()).contains("primary").endsWith("UP");
            Map<String, ServiceHealth> byPath = new java.util.HashMap<>();
            health.services().orElseThrow().stream().filter(result -> result.serviceType() == ServiceType.FILESYSTEM)
                    .forEach(result -> byPath.put(result.path().orElseThrow(), result));
            assertThat(byPath.get("/home").healthy()).isTrue();
            assertThat(byPath.get("/no/such/fs").healthy()).isFalse();
            assertThat(byPath.get("/no/such/fs").message().orElseThrow()).contains("No such file or directory");
            assertThat(health.lastHealthCheck()).isPresent();
        }
    }

    @Test
    void theS3StagingIsProbedWithTheConfiguredCredentials() {
        GoldcrestConfig good = LocalServices.config(LocalServices.devConfigYaml());
        try (Goldcrest goldcrest = Goldcrest.start(good, Clock.systemUTC())) {
            ServiceHealth s3 = goldcrest.health().runOnce(good.clusters().getFirst()).latest(ServiceType.S3).orElseThrow();
            assertThat(s3.healthy()).isTrue();
        }
        GoldcrestConfig wrongSecret = LocalServices.config(LocalServices.devConfigYaml()
                .replace("secret_access_key: \"goldcrest-staging-secret\"", "secret_access_key: \"not-the-secret\""));
        try (Goldcrest goldcrest = Goldcrest.start(wrongSecret, Clock.systemUTC())) {
            ServiceHealth s3 = goldcrest.health().runOnce(wrongSecret.clusters().getFirst()).latest(ServiceType.S3).orElseThrow();
            assertThat(s3.healthy()).isFalse();
            assertThat(s3.message().orElseThrow()).contains("list buckets").doesNotContain("not-the-secret");
        }
    }

    @Test
    void anUnhealthySshServiceAnswers503() {
        // Nothing listens on port 1: every SSH probe fails, so SSH-backed routes are gated.
        GoldcrestConfig config = LocalServices.config(LocalServices.devConfigYaml().replace("port: 2222", "port: 1"));
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            ClusterHealth health = goldcrest.health().runOnce(config.clusters().getFirst());
            ServiceHealth ssh = health.latest(ServiceType.SSH).orElseThrow();
            assertThat(ssh.healthy()).isFalse();
            assertThat(ssh.message().orElseThrow()).isEqualTo("Unable to establish SSH connection.");

            StatusService status = new StatusService(config, goldcrest.pool(), Map.of(), goldcrest.health(), Clock.systemUTC());
            assertThatThrownBy(() -> status.userInfo("cluster", "alice"))
                    .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNHEALTHY);
                        assertThat(e.getMessage()).isEqualTo("The ssh service for the requested system (cluster) is unhealthy.");
                    });
        }
    }
}
