package io.goldcrest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.config.GatewayConfig.Authorization;
import io.goldcrest.config.GatewayConfig.Rule;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code goldcrest.gateway}: addresses, CORS, clients and the authorization policy. */
class GatewayConfigReaderTest {
    private static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    /** A configuration with the systems {@code daint} and {@code cluster} and this {@code goldcrest} section body. */
    private static String yaml(String goldcrest) {
        StringBuilder text = new StringBuilder("""
                auth:
                  authentication:
                    public_certs: ["https://idp.example.org/certs"]
                goldcrest:
                  delegation: {ca_private_key_file: "/srv/ca"}
                """);
        text.append(goldcrest.stripTrailing()).append("\nclusters:\n");
        for (String name : List.of("Daint", "cluster")) {
            text.append("""
                    - name: "%s"
                      ssh: {host: "127.0.0.1", port: 2222}
                      scheduler: {type: "slurm", version: "22.05.8"}
                      probing: {}
                      goldcrest: {host_keys: ["%s"]}
                    """.formatted(name, HOST_KEY));
        }
        return text.toString();
    }

    private static GatewayConfig parse(String goldcrest) {
        return ConfigLoader.parse(yaml(goldcrest), Path.of(".")).gateway();
    }

    private static List<String> problems(String goldcrest) {
        try {
            ConfigLoader.parse(yaml(goldcrest), Path.of("."));
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("no problem found");
    }

    @Test
    void withoutAGatewaySectionEverythingIsOpen() {
        GatewayConfig gateway = parse("  server: {port: 0}\n");
        GatewayConfig open = GatewayConfig.open();
        assertThat(gateway.trustedProxies()).isEmpty();
        assertThat(gateway.addresses().isEmpty()).isTrue();
        assertThat(gateway.corsOrigins()).isEmpty();
        assertThat(gateway.corsMaxAge()).isEqualTo(open.corsMaxAge());
        assertThat(gateway.requireRegisteredClients()).isFalse();
        assertThat(gateway.clients()).isEmpty();
        assertThat(gateway.authorization()).isEmpty();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        GatewayConfig gateway = parse("""
                  gateway:
                    trusted_proxies: ["10.0.0.5", "fd00::/8"]
                    ip_filter: {allow: ["10.0.0.0/8"], deny: ["10.66.0.0/16", "2001:db8::1"]}
                    cors: {origins: ["https://portal.example.org", "http://127.0.0.1:3000"], max_age: 2h}
                    require_registered_clients: true
                    clients:
                      portal: {ip_filter: {allow: ["192.0.2.0/24"]}}
                      cli:
                    authorization:
                      groups_claim: realm_access.roles
                      unix_groups: {enabled: true, cache_ttl: 90s}
                      rules:
                      - {clients: [portal], users: [alice], groups: [hpc], systems: [DAINT], services: {compute: read-write, all: read-only}}
                      - services: {status: read-only, tasks: Read-Write}
                """);
        assertThat(gateway.trustedProxies()).extracting(Cidr::toString).containsExactly("10.0.0.5", "fd00::/8");
        assertThat(gateway.addresses().allow()).extracting(Cidr::toString).containsExactly("10.0.0.0/8");
        assertThat(gateway.addresses().deny()).extracting(Cidr::toString).containsExactly("10.66.0.0/16", "2001:db8::1");
        assertThat(gateway.corsOrigins()).containsExactly("https://portal.example.org", "http://127.0.0.1:3000");
        assertThat(gateway.corsMaxAge()).isEqualTo(Duration.ofHours(2));
        assertThat(gateway.requireRegisteredClients()).isTrue();
        assertThat(gateway.clients()).containsOnlyKeys("portal", "cli");
        assertThat(gateway.clients().get("portal").addresses().allow().getFirst().contains(InetAddress.getByName("192.0.2.7"))).isTrue();
        assertThat(gateway.clients().get("cli").addresses().isEmpty()).isTrue();

        Authorization policy = gateway.authorization().orElseThrow();
        assertThat(policy.groupsClaim()).isEqualTo("realm_access.roles");
        assertThat(policy.unixGroups()).isTrue();
        assertThat(policy.unixGroupsTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(policy.usesGroups()).isTrue();
        Rule first = policy.rules().get(0);
        assertThat(first.name()).isEqualTo("goldcrest.gateway.authorization.rules[0]");
        assertThat(first.clients()).containsExactly("portal");
        assertThat(first.users()).containsExactly("alice");
        assertThat(first.groups()).containsExactly("hpc");
        assertThat(first.systems()).as("system names are lower-cased as clusters are").containsExactly("daint");
        // all: read-only widens nothing that a named service already grants.
        assertThat(first.services()).containsExactlyInAnyOrderEntriesOf(Map.of(ApiService.COMPUTE, AccessLevel.READ_WRITE,
                ApiService.STATUS, AccessLevel.READ_ONLY, ApiService.FILESYSTEM, AccessLevel.READ_ONLY,
                ApiService.TRANSFER, AccessLevel.READ_ONLY, ApiService.TASKS, AccessLevel.READ_ONLY));
        Rule second = policy.rules().get(1);
        assertThat(second.clients()).isEmpty();
        assertThat(second.systems()).isEmpty();
        assertThat(second.services()).isEqualTo(Map.of(ApiService.STATUS, AccessLevel.READ_ONLY, ApiService.TASKS, AccessLevel.READ_WRITE));
    }

    @Test
    void authorizationDefaults() {
        Authorization policy = parse("""
                  gateway:
                    authorization:
                      rules: [{users: [alice], services: {all: read-write}}]
                """).authorization().orElseThrow();
        assertThat(policy.groupsClaim()).isEqualTo("groups");
        assertThat(policy.unixGroups()).isFalse();
        assertThat(policy.unixGroupsTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.usesGroups()).isFalse();
    }

    @Test
    void addressAndCorsProblemsNameTheirField() {
        assertThat(problems("""
                  gateway:
                    trusted_proxies: "10.0.0.5"
                    ip_filter: {allow: ["proxy.example.org"], deny: ["10.0.0.0/33", "10.0.0.1/x"]}
                    cors: {origins: ["https://portal.example.org/", "portal.example.org", "ftp://x.example.org"], max_age: 2d}
                    clients:
                      portal: {ip_filter: {deny: ["::1/129"]}}
                      jupyter: "yes"
                """)).containsExactlyInAnyOrder(
                "goldcrest.gateway.trusted_proxies: must be a list",
                "goldcrest.gateway.ip_filter.allow[0]: must be an address or address block such as 10.0.0.0/8 or 2001:db8::/32, not 'proxy.example.org'",
                "goldcrest.gateway.ip_filter.deny[0]: must be an address or address block such as 10.0.0.0/8 or 2001:db8::/32, not '10.0.0.0/33'",
                "goldcrest.gateway.ip_filter.deny[1]: must be an address or address block such as 10.0.0.0/8 or 2001:db8::/32, not '10.0.0.1/x'",
                "goldcrest.gateway.cors.origins[0]: must be an origin such as https://portal.example.org (scheme, host, optional port; no path), not 'https://portal.example.org/'",
                "goldcrest.gateway.cors.origins[1]: must be an origin such as https://portal.example.org (scheme, host, optional port; no path), not 'portal.example.org'",
                "goldcrest.gateway.cors.origins[2]: must be an origin such as https://portal.example.org (scheme, host, optional port; no path), not 'ftp://x.example.org'",
                "goldcrest.gateway.cors.max_age: must be between PT0S and PT24H, not PT48H",
                "goldcrest.gateway.clients.portal.ip_filter.deny[0]: must be an address or address block such as 10.0.0.0/8 or 2001:db8::/32, not '::1/129'",
                "goldcrest.gateway.clients.jupyter: must be a mapping");
    }

    @Test
    void policyProblemsNameTheirField() {
        assertThat(problems("""
                  gateway:
                    require_registered_clients: true
                    authorization:
                      groups_claim: " "
                      unix_groups: {enabled: maybe, cache_ttl: 0s}
                      rules:
                      - {clients: [portal], systems: [daint, elsewhere], services: {compute: read-write}}
                      - {users: [alice], services: {compute:, filesystem: write, gpu: read-only}}
                      - {users: [bob]}
                      - "everyone"
                      -
                """)).containsExactlyInAnyOrder(
                "goldcrest.gateway.require_registered_clients: is true but goldcrest.gateway.clients registers no client, so every token would be refused",
                "goldcrest.gateway.authorization.groups_claim: must name a token claim, such as groups",
                "goldcrest.gateway.authorization.unix_groups.enabled: must be true or false, not 'maybe'",
                "goldcrest.gateway.authorization.unix_groups.cache_ttl: must be between PT1S and PT24H, not PT0S",
                "goldcrest.gateway.authorization.rules[0].systems[1]: names no configured cluster (known: daint, cluster)",
                "goldcrest.gateway.authorization.rules[1].services.compute: is required",
                "goldcrest.gateway.authorization.rules[1].services.filesystem: must be one of [read-only, read-write], not 'write'",
                "goldcrest.gateway.authorization.rules[1].services.gpu: is not a service: use all, status, compute, filesystem, transfer, tasks",
                "goldcrest.gateway.authorization.rules[2].services: is required: a mapping such as {compute: read-write, status: read-only} (or all: read-only)",
                "goldcrest.gateway.authorization.rules[3]: must be a mapping",
                "goldcrest.gateway.authorization.rules[4]: must be a mapping with services and optionally clients, users, groups, systems");

        assertThat(problems("""
                  gateway:
                    clients: {portal: {}}
                    authorization:
                      rules: [{clients: [portal, scraper], services: {all: read-only}}]
                """)).containsExactly(
                "goldcrest.gateway.authorization.rules[0].clients[1]: names client 'scraper', which goldcrest.gateway.clients does not register");

        assertThat(problems("""
                  gateway:
                    authorization: {groups_claim: groups}
                """)).containsExactly(
                "goldcrest.gateway.authorization.rules: is required when authorization is configured (with no rules every request would be refused)");
    }

    /** The examples of docs/gateway.md's own sections parse, so the page cannot drift from the reader. */
    @Test
    void documentedExamplesParse() throws IOException {
        String doc = Files.readString(Path.of("docs/gateway.md"));
        List<String> examples = new ArrayList<>();
        for (String section : List.of("## Authorization", "## Address filters", "## CORS")) {
            int start = doc.indexOf(section);
            assertThat(start).as(section).isNotNegative();
            int end = doc.indexOf("\n## ", start + section.length());
            String body = doc.substring(start, end < 0 ? doc.length() : end);
            int fence = body.indexOf("```yaml\n");
            assertThat(fence).as("an example in " + section).isNotNegative();
            examples.add(body.substring(fence + 8, body.indexOf("```", fence + 8)));
        }
        GatewayConfig authorization = parse(examples.get(0).replace("goldcrest:\n", ""));
        assertThat(authorization.requireRegisteredClients()).isTrue();
        assertThat(authorization.authorization().orElseThrow().rules()).hasSize(3);
        assertThat(authorization.authorization().orElseThrow().rules().get(1).systems()).containsExactly("daint");
        GatewayConfig addresses = parse(examples.get(1).replace("goldcrest:\n", ""));
        assertThat(addresses.trustedProxies()).hasSize(2);
        assertThat(addresses.clients().get("portal").addresses().allow()).hasSize(1);
        GatewayConfig cors = parse(examples.get(2).replace("goldcrest:\n", ""));
        assertThat(cors.corsOrigins()).containsExactly("https://portal.example.org", "http://127.0.0.1:3000");
        assertThat(cors.corsMaxAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(Set.copyOf(examples)).hasSize(3);
    }
}
