package io.goldcrest.api;

import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.config.GoldcrestConfig;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FirecREST's health gating of the compute routes (§1.6), after a real probe run. */
class ComputeGatingIT {
    @Test
    void anUnreachableSchedulerGatesEveryComputeRouteBeforeItsParameters() {
        // Nothing listens on port 1: the SSH probe and the scheduler probe (scontrol ping over SSH) both fail.
        GoldcrestConfig config = LocalServices.config(LocalServices.devConfigYaml().replace("port: 2222", "port: 1"));
        try (Goldcrest goldcrest = Goldcrest.start(config, Clock.systemUTC())) {
            goldcrest.health().runOnce(config.clusters().getFirst());
            ApiClient client = new ApiClient(goldcrest.port());
            String token = LocalServices.mockToken("alice");
            String unhealthy = "The scheduler service for the requested system (cluster) is unhealthy.";

            ApiClient.assertError(client.get("/compute/cluster/jobs", token), 503, unhealthy, "alice");
            // Even an invalid job id or body is not looked at: health comes first, as in FirecREST.
            ApiClient.assertError(client.get("/compute/cluster/jobs/not_valid", token), 503, unhealthy, "alice");
            ApiClient.assertError(client.sendJson("POST", "/compute/cluster/jobs", token, Map.of()), 503, unhealthy, "alice");
            ApiClient.assertError(client.send("DELETE", "/compute/cluster/jobs/1", token), 503, unhealthy, "alice");
            ApiClient.assertError(client.get("/compute/nowhere/jobs", token), 404, "System not found", "alice");
        }
    }
}
