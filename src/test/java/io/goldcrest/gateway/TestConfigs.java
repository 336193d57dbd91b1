package io.goldcrest.gateway;

import io.goldcrest.config.ConfigLoader;
import io.goldcrest.config.GoldcrestConfig;
import java.nio.file.Path;

/** Small configurations with two systems, {@code cluster} and {@code other}, and the given gateway section. */
final class TestConfigs {
    private static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    private TestConfigs() {}

    /** @param gateway the body of {@code goldcrest.gateway}, indented by four spaces */
    static GoldcrestConfig withGateway(String gateway) {
        String yaml = """
                auth:
                  authentication:
                    public_certs: ["https://idp.example.org/certs"]
                goldcrest:
                  delegation: {ca_private_key_file: "/srv/ca"}
                  gateway:
                %s
                clusters:
                %s%s""".formatted(gateway.stripTrailing(), cluster("cluster"), cluster("other"));
        return ConfigLoader.parse(yaml, Path.of("."));
    }

    private static String cluster(String name) {
        return """
                - name: "%s"
                  ssh: {host: "127.0.0.1", port: 2222}
                  scheduler: {type: "slurm", version: "22.05.8"}
                  probing: {}
                  goldcrest: {host_keys: ["%s"]}
                """.formatted(name, HOST_KEY);
    }
}
