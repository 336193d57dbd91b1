package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.config.GoldcrestConfig;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** FirecREST's health gating of file operations (§1.6), after a real probe run against the cluster. */
class FilesystemGatingIT {
    @Test
    void aPathOnAnUnhealthyFileSystemAnswers503BeforeAnyCommand() {
        GoldcrestConfig config = LocalServices.config(LocalServices.devConfigYaml()
                .replace("{path: \"/tmp\", data_type: \"scratch\"}", "{path: \"/home/no-such-fs\", data_type: \"scratch\"}"));
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            goldcrest.health().runOnce(config.clusters().getFirst());
            ApiClient client = new ApiClient(goldcrest.port());
            String token = LocalServices.mockToken("alice");

            // The deepest configured file system holding the path decides: /home/no-such-fs, not /home.
            ApiClient.assertError(client.get("/filesystem/cluster/ops/ls?path=/home/no-such-fs/x", token), 503,
                    "The requested filesystem (/home/no-such-fs on cluster) is unhealthy.", "alice");
            ApiClient.assertError(client.send("DELETE", "/filesystem/cluster/ops/rm?path=/home/no-such-fs/../no-such-fs/y", token), 503,
                    "The requested filesystem (/home/no-such-fs on cluster) is unhealthy.", "alice");
            assertThat(client.get("/filesystem/cluster/ops/ls?path=/home/alice", token).status()).isEqualTo(200);
        }
    }

    @Test
    void anUnhealthySshServiceGatesEveryFileOperation() {
        GoldcrestConfig config = LocalServices.config(LocalServices.devConfigYaml().replace("port: 2222", "port: 1"));
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            goldcrest.health().runOnce(config.clusters().getFirst());
            ApiClient client = new ApiClient(goldcrest.port());
            String token = LocalServices.mockToken("alice");
            ApiClient.assertError(client.get("/filesystem/cluster/ops/stat?path=/home/alice", token), 503,
                    "The ssh service for the requested system (cluster) is unhealthy.", "alice");
            // The system is looked up first: an unknown one is 404 whatever the health.
            ApiClient.assertError(client.get("/filesystem/nowhere/ops/stat?path=/home/alice", token), 404, "System not found", "alice");
        }
    }
}
