package io.goldcrest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.config.GatewayConfig.Limit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code goldcrest.gateway.rate_limits} and {@code ssh_queue_per_user} as read from the file. */
class RateLimitConfigTest {
    @TempDir
    Path directory;

    @Test
    void limitsAreReadWithPerServiceOverrides() throws IOException {
        GoldcrestConfig config = parse("""
                  redis: {url: "redis://127.0.0.1:6390", key_prefix: "site"}
                  gateway:
                    ssh_queue_per_user: 8
                    rate_limits:
                      store: redis
                      per_user: {capacity: 100, period: 1m}
                      services: {compute: {capacity: 10, period: 30s}}
                      per_address: {capacity: 20, period: 10s}
                """);
        GatewayConfig.RateLimits limits = config.gateway().rateLimits().orElseThrow();
        assertThat(limits.shared()).isTrue();
        assertThat(limits.limitFor(ApiService.COMPUTE)).isEqualTo(new Limit(10, Duration.ofSeconds(30)));
        assertThat(limits.limitFor(ApiService.FILESYSTEM)).isEqualTo(new Limit(100, Duration.ofMinutes(1)));
        assertThat(limits.perAddress()).isEqualTo(new Limit(20, Duration.ofSeconds(10)));
        assertThat(config.gateway().sshQueuePerUser()).isEqualTo(8);
    }

    @Test
    void withoutTheSectionNothingIsLimitedAndTheQueueIsSixtyFour() throws IOException {
        GoldcrestConfig config = parse("");
        assertThat(config.gateway().rateLimits()).isEmpty();
        assertThat(config.gateway().sshQueuePerUser()).isEqualTo(256);
    }

    /** The dev cluster probes ssh, the scheduler and two file systems at once as alice. */
    @Test
    void theQueueMustLeaveRoomForTheHealthProbes() throws IOException {
        String yaml = template().replace("max_channels_per_connection: 64", "max_channels_per_connection: 2");
        assertThat(ConfigLoader.parse(with(yaml, "  gateway: {ssh_queue_per_user: 2}\n"), directory).gateway().sshQueuePerUser())
                .isEqualTo(2);
        assertThatThrownBy(() -> ConfigLoader.parse(with(yaml, "  gateway: {ssh_queue_per_user: 1}\n"), directory))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "goldcrest.gateway.ssh_queue_per_user: is 1, but system 'cluster' runs 4 SSH health probes at once as its "
                                + "probe_user, more than its max_channels_per_connection (2) and this queue together; raise either"));
    }

    private GoldcrestConfig parse(String goldcrestLines) throws IOException {
        return ConfigLoader.parse(with(template(), goldcrestLines), directory);
    }

    private static String with(String yaml, String goldcrestLines) {
        return yaml.replace("goldcrest:\n  server:", "goldcrest:\n" + goldcrestLines + "  server:");
    }

    private static String template() throws IOException {
        return Files.readString(Path.of("config/dev.yaml.in"))
                .replace("@ISSUER@", "http://127.0.0.1:8190/goldcrest")
                .replace("@CLUSTER_DIR@", "/srv/cluster")
                .replace("@HOST_KEY@", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
    }
}
