package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Address filters through HTTP, all on loopback: the test's own address (127.0.0.1) is denied
 * globally on one server, by a client's list on another; {@code X-Forwarded-For} counts only from a
 * trusted proxy. Each refusal comes before any SSH work: bob, who has not used these servers
 * before, still has no connection to the cluster afterwards (the health probes run as alice).
 */
class GatewayAddressIT {
    private static final String LS_BOB = "/filesystem/cluster/ops/ls?path=/home/bob";
    private static final List<Goldcrest> SERVERS = new ArrayList<>();

    private static Goldcrest start(String gateway) {
        String yaml = LocalServices.devConfigYaml();
        String configured = yaml.replace("goldcrest:\n  server:", "goldcrest:\n  gateway:\n" + gateway.stripTrailing().indent(4) + "  server:");
        assertThat(configured).isNotEqualTo(yaml);
        Goldcrest goldcrest = Goldcrest.start(LocalServices.config(configured), Clock.systemUTC());
        SERVERS.add(goldcrest);
        return goldcrest;
    }

    private static Goldcrest denyLoopback;
    private static Goldcrest clientLists;
    private static Goldcrest untrusted;
    private static Goldcrest behindProxy;
    private static String bob;

    @BeforeAll
    static void start() {
        denyLoopback = start("ip_filter: {deny: [\"127.0.0.1\", \"::1\"]}");
        clientLists = start("""
                clients:
                  goldcrest-cli: {ip_filter: {deny: ["127.0.0.0/8"]}}
                  portal: {ip_filter: {allow: ["127.0.0.1", "::1"]}}
                """);
        untrusted = start("ip_filter: {deny: [\"198.51.100.0/24\"]}");
        behindProxy = start("""
                trusted_proxies: ["127.0.0.1", "10.9.9.9"]
                ip_filter: {deny: ["198.51.100.0/24"]}
                clients:
                  goldcrest-cli: {ip_filter: {allow: ["192.0.2.0/24", "10.0.0.0/8"]}}
                """);
        bob = LocalServices.mockToken("bob");
    }

    @AfterAll
    static void stop() {
        SERVERS.forEach(Goldcrest::close);
    }

    private static ApiClient.Response get(Goldcrest server, String path, String token, Map<String, String> headers) {
        return new ApiClient(server.port()).send("GET", path, token, headers, null, null);
    }

    private static void assertNoSshWorkFor(Goldcrest server, String user) {
        assertThat(server.pool().isConnected("cluster", user)).as("%s has an SSH connection", user).isFalse();
    }

    @Test
    void aGloballyDeniedAddressIsRefusedBeforeItsTokenIsReadAndBeforeAnySshWork() {
        assertNoSshWorkFor(denyLoopback, "bob");
        ApiClient.assertError(get(denyLoopback, LS_BOB, bob, Map.of()), 403, "Requests from address 127.0.0.1 are not allowed", null);
        // Without a token, or with a bad one, the answer is the same 403, not a 401.
        ApiClient.assertError(get(denyLoopback, LS_BOB, null, Map.of()), 403, "Requests from address 127.0.0.1 are not allowed", null);
        ApiClient.assertError(get(denyLoopback, LS_BOB, "garbage", Map.of()), 403, "Requests from address 127.0.0.1 are not allowed", null);
        // Public routes and unknown ones too.
        ApiClient.assertError(get(denyLoopback, "/status/liveness", null, Map.of()), 403, "Requests from address 127.0.0.1 are not allowed", null);
        ApiClient.assertError(get(denyLoopback, "/no/such/route", null, Map.of()), 403, "Requests from address 127.0.0.1 are not allowed", null);
        // v1 answers in v1's shape.
        ApiClient.Response v1 = get(denyLoopback, "/v1/utilities/ls?targetPath=/home/bob", bob, Map.of("X-Machine-Name", "cluster"));
        assertThat(v1.status()).isEqualTo(403);
        assertThat(v1.json().get("error").asText()).isEqualTo("Requests from address 127.0.0.1 are not allowed");
        assertNoSshWorkFor(denyLoopback, "bob");
    }

    @Test
    void aClientsOwnListsRefuseItsTokensFromElsewhere() {
        assertNoSshWorkFor(clientLists, "bob");
        ApiClient.assertError(get(clientLists, LS_BOB, bob, Map.of()), 403,
                "Requests from address 127.0.0.1 are not allowed for client 'goldcrest-cli'", "bob");
        ApiClient.Response v1 = get(clientLists, "/v1/utilities/ls?targetPath=/home/bob", bob, Map.of("X-Machine-Name", "cluster"));
        assertThat(v1.status()).isEqualTo(403);
        assertThat(v1.json().get("error").asText()).isEqualTo("Requests from address 127.0.0.1 are not allowed for client 'goldcrest-cli'");
        assertNoSshWorkFor(clientLists, "bob");

        // The same user through a client allowed here works, and only then is there a connection.
        ApiClient.Response allowed = get(clientLists, LS_BOB, LocalServices.mockToken("bob", "portal"), Map.of());
        assertThat(allowed.status()).as(allowed.text()).isEqualTo(200);
        assertThat(clientLists.pool().isConnected("cluster", "bob")).isTrue();
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        ApiClient.Response spoofed = get(untrusted, "/status/systems", bob, Map.of("X-Forwarded-For", "198.51.100.7"));
        assertThat(spoofed.status()).as(spoofed.text()).isEqualTo(200);
    }

    @Test
    void forwardedForFromATrustedProxyNamesTheClient() {
        ApiClient.assertError(get(behindProxy, LS_BOB, bob, Map.of("X-Forwarded-For", "198.51.100.7")), 403,
                "Requests from address 198.51.100.7 are not allowed", null);
        // Read from the right through trusted proxies: 10.9.9.9 is one, so the client is the hop before it.
        ApiClient.assertError(get(behindProxy, LS_BOB, bob, Map.of("X-Forwarded-For", "198.51.100.7, 10.9.9.9")), 403,
                "Requests from address 198.51.100.7 are not allowed", null);
        // The proxy itself (127.0.0.1) is not in goldcrest-cli's allow list.
        ApiClient.assertError(get(behindProxy, LS_BOB, bob, Map.of()), 403,
                "Requests from address 127.0.0.1 are not allowed for client 'goldcrest-cli'", "bob");
        // A client cannot hide behind a forged entry: 10.1.1.1 is untrusted, so it is the client, and it is allowed.
        assertNoSshWorkFor(behindProxy, "bob");
        ApiClient.Response forged = get(behindProxy, LS_BOB, bob, Map.of("X-Forwarded-For", "198.51.100.7, 10.1.1.1"));
        assertThat(forged.status()).as(forged.text()).isEqualTo(200);
        ApiClient.Response fromAllowed = get(behindProxy, LS_BOB, bob, Map.of("X-Forwarded-For", "192.0.2.44"));
        assertThat(fromAllowed.status()).as(fromAllowed.text()).isEqualTo(200);
    }
}
