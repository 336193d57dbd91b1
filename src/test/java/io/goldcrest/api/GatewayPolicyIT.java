package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.RootCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorization policy through HTTP on the real cluster: client × user × system × service →
 * allowed or 403, for v2 and v1 routes, with two systems ({@code cluster}, and {@code other} on the
 * same login node). Groups come from a Unix group made for the test (bob is in it) and from a token
 * claim (tokens signed by a key the server trusts beside the mock IdP's, as a second IdP would). A
 * refused request that would change something is checked to have changed nothing.
 */
class GatewayPolicyIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String UNIX_GROUP = "gwpol" + RUN;
    private static final String TOKEN_GROUP = "task-watchers";
    private static final String ALICE_DIR = "/home/alice/gw-policy-it-" + RUN;
    private static final String BOB_DIR = "/home/bob/gw-policy-it-" + RUN;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Goldcrest goldcrest;
    private static ApiClient client;
    private static Path keyDirectory;
    private static RSAKey signingKey;
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        RootCommands.run("groupadd", UNIX_GROUP);
        RootCommands.run("usermod", "-a", "-G", UNIX_GROUP, "bob");
        RootCommands.sh("mkdir -p \"$1\" && chown alice:alice \"$1\"", ALICE_DIR);
        RootCommands.sh("mkdir -p \"$1\" && chown bob:bob \"$1\"", BOB_DIR);

        // A second key the server trusts, for tokens with a groups claim (the mock IdP's have none).
        signingKey = new RSAKeyGenerator(2048).keyID("policy-it").generate();
        keyDirectory = Files.createTempDirectory("gw-policy-it");
        Path jwks = keyDirectory.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(signingKey.toPublicJWK()).toString(true));

        String yaml = LocalServices.devConfigYaml();
        int blockStart = yaml.indexOf("- name: \"cluster\"");
        String head = yaml.substring(0, blockStart);
        String cluster = yaml.substring(blockStart);
        String other = replace(cluster, "- name: \"cluster\"", "- name: \"other\"");
        String issuer = LocalServices.mockIssuer();
        head = replace(head, "public_certs: [\"" + issuer + "/jwks\"]",
                "public_certs: [\"" + issuer + "/jwks\", \"" + jwks.toUri() + "\"]");
        head = replace(head, "goldcrest:\n  server:", """
                goldcrest:
                  gateway:
                    require_registered_clients: true
                    clients: {goldcrest-cli: {}, portal: {}, viewer: {}}
                    authorization:
                      unix_groups: {enabled: true, cache_ttl: 10m}
                      rules:
                      # alice, through the CLI: everything, everywhere.
                      - {clients: [goldcrest-cli], users: [alice], services: {all: read-write}}
                      # bob, through the CLI: only looking, only on cluster.
                      - {clients: [goldcrest-cli], users: [bob], systems: [cluster], services: {all: read-only}}
                      # anyone, through the portal, on other: jobs, status, reading files.
                      - {clients: [portal], systems: [other], services: {compute: read-write, status: read-only, filesystem: read-only}}
                      # the Unix group may write files on other, through any client.
                      - {groups: [%s], systems: [other], services: {filesystem: read-write}}
                      # the token group may follow tasks and see status.
                      - {groups: [%s], services: {tasks: read-write, status: read-only}}
                  server:""".formatted(UNIX_GROUP, TOKEN_GROUP));
        goldcrest = Goldcrest.start(LocalServices.config(head + cluster.stripTrailing() + "\n" + other), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (goldcrest != null) {
            goldcrest.close();
        }
        RootCommands.run("rm", "-rf", "--", ALICE_DIR, BOB_DIR);
        RootCommands.run("groupdel", UNIX_GROUP);
        if (keyDirectory != null) {
            try (Stream<Path> files = Files.list(keyDirectory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(keyDirectory);
        }
    }

    private static String replace(String text, String from, String to) {
        assertThat(text).as("the dev configuration").contains(from);
        return text.replace(from, to);
    }

    private static String token(String client, String user) {
        return TOKENS.computeIfAbsent(client + "/" + user, key -> LocalServices.mockToken(user, client));
    }

    /** A token from the test's own key, with a groups claim (a list, or one string). */
    private static String tokenWithGroups(String client, String user, Object groups) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(LocalServices.mockIssuer())
                .audience("goldcrest")
                .subject(user)
                .claim("preferred_username", user)
                .claim("azp", client)
                .claim("groups", groups)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    // ================================================================ the matrix

    /**
     * One request and its expected answer.
     *
     * @param message the 403 message (v2 {@code message}, v1 {@code error}); null when allowed
     * @param effect checked after the answer: what the request did or did not do on the cluster
     */
    record Case(String client, String user, String system, String service, String method, String path, Map<String, String> headers,
                String contentType, byte[] body, int status, String message, Runnable effect) {
        boolean v1() {
            return path.startsWith("/v1/");
        }

        @Override
        public String toString() {
            return client + " × " + user + " × " + system + " × " + service + ": " + method + " " + path + " → " + status;
        }
    }

    private static Case v2(String client, String user, String system, String service, String method, String path, Object json,
                           int status, String message, Runnable effect) {
        byte[] body;
        try {
            body = json == null ? null : JSON.writeValueAsBytes(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Case(client, user, system, service, method, path, Map.of(), json == null ? null : "application/json", body,
                status, message, effect);
    }

    private static Case v1(String client, String user, String system, String service, String method, String path,
                           Map<String, String> form, int status, String message, Runnable effect) {
        Map<String, String> headers = system == null ? Map.of() : Map.of("X-Machine-Name", system);
        byte[] body = form == null ? null : V1FormClient.encode(form).getBytes(StandardCharsets.UTF_8);
        return new Case(client, user, system, service, method, path, headers, form == null ? null : "application/x-www-form-urlencoded",
                body, status, message, effect);
    }

    private static String denied(String user, String client, String service, String system) {
        return "User '" + user + "' (client '" + client + "') may not use " + service + (system == null ? " on any system" : " on system '" + system + "'");
    }

    private static String readOnly(String user, String client, String service, String system) {
        return "User '" + user + "' (client '" + client + "') has read-only access to " + service + " on system '" + system
                + "'; this request needs read-write";
    }

    private static Runnable exists(String path) {
        return () -> assertThat(Path.of(path)).as("made by an allowed request").isDirectory();
    }

    private static Runnable absent(String path) {
        return () -> assertThat(Path.of(path)).as("a refused request made nothing").doesNotExist();
    }

    private static Runnable noJob(String name) {
        return () -> assertThat(jobsNamed(name)).as("jobs named %s", name).isEmpty();
    }

    private static String jobsNamed(String name) {
        return new String(RootCommands.slurm("squeue", "-h", "-a", "--states=all", "--name=" + name, "-o", "%i"), StandardCharsets.UTF_8).strip();
    }

    private static Map<String, Object> job(String name, String directory) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", name);
        job.put("working_directory", directory);
        job.put("script", "#!/bin/sh\ntrue\n");
        return Map.of("job", job);
    }

    static Stream<Arguments> matrix() {
        String cli = "goldcrest-cli";
        List<Case> cases = new ArrayList<>();
        // ---- v2: files
        cases.add(v2(cli, "alice", "cluster", "filesystem", "GET", "/filesystem/cluster/ops/ls?path=" + ALICE_DIR, null, 200, null, null));
        cases.add(v2(cli, "alice", "other", "filesystem", "POST", "/filesystem/other/ops/mkdir", Map.of("path", ALICE_DIR + "/v2-made"),
                201, null, exists(ALICE_DIR + "/v2-made")));
        cases.add(v2(cli, "bob", "cluster", "filesystem", "GET", "/filesystem/cluster/ops/ls?path=" + BOB_DIR, null, 200, null, null));
        cases.add(v2(cli, "bob", "cluster", "filesystem", "POST", "/filesystem/cluster/ops/mkdir", Map.of("path", BOB_DIR + "/v2-refused"),
                403, readOnly("bob", cli, "filesystem", "cluster"), absent(BOB_DIR + "/v2-refused")));
        cases.add(v2(cli, "bob", "other", "compute", "GET", "/compute/other/jobs", null, 403, denied("bob", cli, "compute", "other"), null));
        // ... but his Unix group lets him use files there, whatever the client.
        cases.add(v2(cli, "bob", "other", "filesystem", "GET", "/filesystem/other/ops/ls?path=" + BOB_DIR, null, 200, null, null));
        cases.add(v2("portal", "alice", "other", "filesystem", "GET", "/filesystem/other/ops/ls?path=" + ALICE_DIR, null, 200, null, null));
        // alice is not in the Unix group: through the portal she may only read.
        cases.add(v2("portal", "alice", "other", "filesystem", "POST", "/filesystem/other/ops/mkdir", Map.of("path", ALICE_DIR + "/portal-refused"),
                403, "User 'alice' (client 'portal') has read-only access to filesystem on system 'other'; this request needs read-write",
                absent(ALICE_DIR + "/portal-refused")));
        // bob is: his Unix groups on 'other' let him write there through any client.
        cases.add(v2("portal", "bob", "other", "filesystem", "POST", "/filesystem/other/ops/mkdir", Map.of("path", BOB_DIR + "/by-group"),
                201, null, exists(BOB_DIR + "/by-group")));
        cases.add(v2("portal", "bob", "cluster", "filesystem", "GET", "/filesystem/cluster/ops/ls?path=" + BOB_DIR, null,
                403, denied("bob", "portal", "filesystem", "cluster"), null));
        // ---- v2: transfers (a separate service) and jobs
        cases.add(v2(cli, "bob", "cluster", "transfer", "POST", "/filesystem/cluster/transfer/upload", Map.of(),
                403, readOnly("bob", cli, "transfer", "cluster"), null));
        cases.add(v2(cli, "bob", "cluster", "compute", "GET", "/compute/cluster/jobs", null, 200, null, null));
        cases.add(v2(cli, "bob", "cluster", "compute", "POST", "/compute/cluster/jobs", job("gwpol-" + RUN + "-bob-v2", BOB_DIR),
                403, readOnly("bob", cli, "compute", "cluster"), noJob("gwpol-" + RUN + "-bob-v2")));
        cases.add(v2("portal", "bob", "other", "compute", "GET", "/compute/other/jobs", null, 200, null, null));
        cases.add(v2("portal", "bob", "cluster", "compute", "GET", "/compute/cluster/jobs", null,
                403, denied("bob", "portal", "compute", "cluster"), null));
        // ---- v2: routes about no system
        cases.add(v2(cli, "bob", null, "status", "GET", "/status/systems", null, 200, null, null));
        cases.add(v2("portal", "bob", null, "status", "GET", "/status/systems", null, 200, null, null));
        cases.add(v2("viewer", "alice", null, "status", "GET", "/status/systems", null, 403, denied("alice", "viewer", "status", null), null));
        cases.add(v2(cli, "bob", null, "tasks", "GET", "/tasks", null, 200, null, null));
        cases.add(v2("viewer", "alice", null, "tasks", "GET", "/tasks", null, 403, denied("alice", "viewer", "tasks", null), null));
        cases.add(v2("portal", "bob", "cluster", "status", "GET", "/status/cluster/nodes", null,
                403, denied("bob", "portal", "status", "cluster"), null));
        // ---- v1 (X-Machine-Name)
        cases.add(v1(cli, "bob", "cluster", "filesystem", "GET", "/v1/utilities/ls?targetPath=" + BOB_DIR, null, 200, null, null));
        cases.add(v1(cli, "bob", "cluster", "filesystem", "POST", "/v1/utilities/mkdir", Map.of("targetPath", BOB_DIR + "/v1-refused"),
                403, readOnly("bob", cli, "filesystem", "cluster"), absent(BOB_DIR + "/v1-refused")));
        cases.add(v1(cli, "bob", "other", "compute", "GET", "/v1/compute/jobs", null, 403, denied("bob", cli, "compute", "other"), null));
        cases.add(v1(cli, "alice", "other", "compute", "GET", "/v1/compute/jobs", null, 200, null, null));
        cases.add(v1("portal", "alice", "cluster", "filesystem", "GET", "/v1/utilities/ls?targetPath=" + ALICE_DIR, null,
                403, denied("alice", "portal", "filesystem", "cluster"), null));
        cases.add(v1(cli, "alice", "other", "filesystem", "POST", "/v1/utilities/mkdir", Map.of("targetPath", ALICE_DIR + "/v1-made"),
                201, null, exists(ALICE_DIR + "/v1-made")));
        cases.add(v1("portal", "bob", "other", "filesystem", "POST", "/v1/utilities/mkdir", Map.of("targetPath", BOB_DIR + "/v1-by-group"),
                201, null, exists(BOB_DIR + "/v1-by-group")));
        cases.add(v1(cli, "bob", "cluster", "compute", "GET", "/v1/compute/jobs", null, 200, null, null));
        cases.add(v1("portal", "bob", "cluster", "compute", "GET", "/v1/compute/jobs", null, 403, denied("bob", "portal", "compute", "cluster"), null));
        cases.add(v1(cli, "bob", "cluster", "compute", "POST", "/v1/compute/jobs/path",
                Map.of("targetPath", BOB_DIR + "/job.sh"), 403, readOnly("bob", cli, "compute", "cluster"), null));
        cases.add(v1("viewer", "alice", null, "status", "GET", "/v1/status/systems", null, 403, denied("alice", "viewer", "status", null), null));
        cases.add(v1(cli, "bob", null, "status", "GET", "/v1/status/systems", null, 200, null, null));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void clientUserSystemAndServiceDecide(Case row) {
        ApiClient.Response response = client.send(row.method(), row.path(), token(row.client(), row.user()), row.headers(), row.contentType(),
                row.body());
        assertThat(response.status()).as("%s: %s", row, response.text()).isEqualTo(row.status());
        if (row.message() != null) {
            JsonNode json = response.json();
            if (row.v1()) {
                assertThat(json.get("error").asText()).isEqualTo(row.message());
            } else {
                assertThat(json.get("message").asText()).isEqualTo(row.message());
                assertThat(json.get("user").asText()).isEqualTo(row.user());
            }
        }
        if (row.effect() != null) {
            row.effect().run();
        }
    }

    // ================================================================ beyond the matrix

    @Test
    void aRefusedJobSubmissionSubmitsNothingWhileAnAllowedOneDoes() {
        String refused = "gwpol-" + RUN + "-refused";
        ApiClient.assertError(client.sendJson("POST", "/compute/cluster/jobs", token("goldcrest-cli", "bob"), job(refused, BOB_DIR)), 403,
                readOnly("bob", "goldcrest-cli", "compute", "cluster"), "bob");
        byte[] script = ("#!/bin/sh\n#SBATCH --job-name=" + refused + "-v1\ntrue\n").getBytes(StandardCharsets.UTF_8);
        ApiClient.Response v1 = new V1FormClient(goldcrest.port()).multipart("/v1/compute/jobs/upload", token("goldcrest-cli", "bob"), "cluster",
                Map.of(), "job.sh", script);
        assertThat(v1.status()).as(v1.text()).isEqualTo(403);

        // The same query finds a job that was allowed, so its empty answers above mean something.
        String allowed = "gwpol-" + RUN + "-allowed";
        ApiClient.Response submitted = client.sendJson("POST", "/compute/cluster/jobs", token("goldcrest-cli", "alice"), job(allowed, ALICE_DIR));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(201);
        assertThat(jobsNamed(allowed)).isEqualTo(submitted.json().get("jobId").asText());
        assertThat(jobsNamed(refused)).isEmpty();
        assertThat(jobsNamed(refused + "-v1")).isEmpty();
    }

    @Test
    void unregisteredClientsAreRefused() {
        ApiClient.assertError(client.get("/status/systems", token("scraper", "alice")), 403,
                "Client 'scraper' is not registered with this API", "alice");
        ApiClient.Response v1 = client.send("GET", "/v1/utilities/ls?targetPath=" + ALICE_DIR, token("scraper", "alice"),
                Map.of("X-Machine-Name", "cluster"), null, null);
        assertThat(v1.status()).isEqualTo(403);
        assertThat(v1.json().get("error").asText()).isEqualTo("Client 'scraper' is not registered with this API");
        // Routes that need no token are not the policy's business.
        assertThat(client.get("/status/liveness", null).status()).isEqualTo(200);
    }

    @Test
    void groupsFromTheTokenClaimCount() throws Exception {
        String withGroup = tokenWithGroups("viewer", "alice", List.of("physics", TOKEN_GROUP));
        assertThat(client.get("/tasks", withGroup).status()).isEqualTo(200);
        assertThat(client.get("/status/systems", withGroup).status()).isEqualTo(200);
        ApiClient.assertError(client.get("/compute/cluster/jobs", withGroup), 403, denied("alice", "viewer", "compute", "cluster"), "alice");

        String withoutGroup = tokenWithGroups("viewer", "alice", List.of("physics"));
        ApiClient.assertError(client.get("/tasks", withoutGroup), 403, denied("alice", "viewer", "tasks", null), "alice");
        // One string is one group.
        assertThat(client.get("/tasks", tokenWithGroups("viewer", "bob", TOKEN_GROUP)).status()).isEqualTo(200);
    }
}
