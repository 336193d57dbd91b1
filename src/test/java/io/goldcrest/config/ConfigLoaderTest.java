package io.goldcrest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.config.ClusterConfig.ProbeService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    @TempDir
    Path directory;

    /** The dev template as `./goldcrest dev` renders it must parse, with every value where we expect it. */
    @Test
    void devTemplateParses() throws IOException {
        GoldcrestConfig config = ConfigLoader.parse(devTemplate(), directory);

        assertThat(config.server()).isEqualTo(new ServerConfig("127.0.0.1", 8000));
        assertThat(config.auth().issuers()).containsExactly("http://127.0.0.1:8190/goldcrest");
        assertThat(config.auth().audiences()).containsExactly("goldcrest");
        assertThat(config.auth().publicCerts()).hasSize(1);
        assertThat(config.auth().deniedUsernames()).containsExactly("root");
        assertThat(config.auth().algorithms()).contains("RS256", "ES256").doesNotContain("HS256");
        assertThat(config.delegation().orElseThrow().caPrivateKeyFile()).isEqualTo(Path.of("/srv/cluster/ssh/ca/user_ca"));
        assertThat(config.delegation().orElseThrow().certificateLifetime()).isEqualTo(Duration.ofMinutes(10));
        ClusterConfig cluster = config.cluster("CLUSTER").orElseThrow();
        assertThat(cluster.ssh().port()).isEqualTo(2222);
        assertThat(cluster.ssh().timeout().commandExecution()).isEqualTo(Duration.ofSeconds(5));
        assertThat(cluster.hostKeys().pinnedKeys()).containsExactly(HOST_KEY);
        assertThat(cluster.probeUser()).contains("alice");
        assertThat(cluster.maxChannelsPerConnection()).isEqualTo(64);
        assertThat(cluster.maxListEntries()).isEqualTo(200_000);
        assertThat(cluster.probing().services().orElseThrow()).containsOnlyKeys(ProbeService.SSH, ProbeService.SCHEDULER, ProbeService.FILESYSTEM, ProbeService.S3);
        assertThat(cluster.fileSystems()).extracting(ClusterConfig.FileSystem::path).containsExactly("/home", "/tmp");
        ClusterConfig.S3Transfer s3 = (ClusterConfig.S3Transfer) cluster.dataOperation().dataTransfer().orElseThrow();
        assertThat(s3.privateUrl().reveal()).isEqualTo("http://127.0.0.1:9000");
        assertThat(s3.publicUrl()).isEqualTo("http://127.0.0.1:9000");
        assertThat(s3.accessKeyId().reveal()).isEqualTo("goldcrest");
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.ttlSeconds()).isEqualTo(3600);
        assertThat(s3.tenant()).isEmpty();
        assertThat(s3.multipart().maxPartSize()).isEqualTo(64L * 1024 * 1024);
        assertThat(s3.multipart().parallelRuns()).isEqualTo(3);
        assertThat(s3.lifecycleDays()).isEqualTo(1);
    }

    @Test
    void s3EndpointsMustBeHttpUrlsAndASecretOneIsNotQuoted() throws IOException {
        String yaml = devTemplate()
                .replace("private_url: \"http://127.0.0.1:9000\"", "private_url: \"s3.internal:9000\"")
                .replace("public_url: \"http://127.0.0.1:9000\"", "public_url: \"ftp://127.0.0.1:9000\"");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, directory))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "clusters[0].data_operation.data_transfer.private_url: must be an http or https URL with a host",
                        "clusters[0].data_operation.data_transfer.public_url: must be an http or https URL with a host, not 'ftp://127.0.0.1:9000'"));
    }

    private static String devTemplate() throws IOException {
        return Files.readString(Path.of("config/dev.yaml.in"))
                .replace("@ISSUER@", "http://127.0.0.1:8190/goldcrest")
                .replace("@CLUSTER_DIR@", "/srv/cluster")
                .replace("@HOST_KEY@", HOST_KEY);
    }

    /** A file written for FirecREST v2 (camelCase aliases, secret_file, legacy probe names) is read as is. */
    @Test
    void firecrestFileParses() throws IOException {
        Path key = directory.resolve("alice_key");
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n");
        Path s3secret = directory.resolve("s3");
        Files.writeString(s3secret, "  s3cr3t\n");
        Path knownHosts = directory.resolve("known_hosts");
        Files.writeString(knownHosts, "[login.example.org]:22 " + HOST_KEY + "\n");
        String yaml = """
                apis_root_path: "/firecrest/v2/"
                startup_grace_period: 10
                auth:
                  authentication:
                    tokenUrl: "https://idp.example.org/token"
                    token_endpoint_auth_method: "client_secret_post"
                    public_certs: ["https://idp.example.org/certs"]
                    username_claim: "sub"
                ssh_credentials:
                  type: "SSHStaticKeys"
                  keys:
                    alice: {private_key: "secret_file:%s"}
                clusters:
                - name: "Daint"
                  ssh: {host: "login.example.org", port: 22, maxClients: 500,
                        timeout: {connection: 5, login: 5, commandExecution: 7, idleTimeout: 60, keepAlive: 5}}
                  scheduler: {type: "slurm", version: "24.11.0"}
                  service_account: {client_id: "hc", secret: "x"}
                  probing: {interval: 30, services: {ssh: {timeout: 5}, filesystems: {timeout: 6}, storage: {timeout: 20}}}
                  file_systems:
                  - {path: "/home/", data_type: "users", defaultWorkDir: true}
                  data_operation:
                    data_transfer:
                      service_type: "s3"
                      name: "s3"
                      private_url: "http://127.0.0.1:9000"
                      public_url: "https://localhost:9443"
                      access_key_id: "ak"
                      secret_access_key: "secret_file:%s"
                      region: "us-east-1"
                      ttl: 604800
                  goldcrest: {known_hosts_file: "%s"}
                """.formatted(key, s3secret, knownHosts);
        GoldcrestConfig config = ConfigLoader.parse(yaml, directory);

        assertThat(config.apisRootPath()).isEqualTo("/firecrest/v2");
        assertThat(config.auth().usernameClaim()).isEqualTo("sub");
        assertThat(config.auth().tokenUrl()).contains("https://idp.example.org/token");
        assertThat(config.auth().issuers()).isEmpty();
        assertThat(config.staticKeys().orElseThrow().keys()).containsOnlyKeys("alice");
        ClusterConfig cluster = config.clusters().getFirst();
        assertThat(cluster.name()).isEqualTo("daint");
        assertThat(cluster.ssh().maxClients()).isEqualTo(500);
        assertThat(cluster.ssh().timeout().commandExecution()).isEqualTo(Duration.ofSeconds(7));
        assertThat(cluster.probing().interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cluster.probing().services().orElseThrow()).containsOnlyKeys(ProbeService.SSH, ProbeService.FILESYSTEM, ProbeService.S3);
        assertThat(cluster.fileSystems().getFirst().path()).isEqualTo("/home");
        assertThat(cluster.fileSystems().getFirst().defaultWorkDir()).isTrue();
        ClusterConfig.S3Transfer s3 = (ClusterConfig.S3Transfer) cluster.dataOperation().dataTransfer().orElseThrow();
        assertThat(s3.secretAccessKey().reveal()).isEqualTo("s3cr3t");
        assertThat(s3.secretAccessKey()).hasToString(Secret.MASK);
        assertThat(cluster.hostKeys().knownHostsFile()).contains(knownHosts);
    }

    /** The full example of docs/configuration.md parses, so the documentation cannot drift from the loader. */
    @Test
    void documentedExampleParses() throws IOException {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        String example = doc.substring(doc.indexOf("## Full example"));
        example = example.substring(example.indexOf("```yaml") + 7, example.indexOf("```", example.indexOf("```yaml") + 7));
        Path key = directory.resolve("alice_key");
        Files.writeString(key, "key text");
        Path redisUrl = directory.resolve("redis_url");
        Files.writeString(redisUrl, "redis://:pw@127.0.0.1:6390/0");
        GoldcrestConfig config = ConfigLoader.parse(example.replace("/run/secrets/alice_key", key.toString())
                .replace("/run/secrets/redis_url", redisUrl.toString()), directory);

        assertThat(config.apisRootPath()).isEqualTo("/firecrest/v2");
        assertThat(config.tasks().store()).isEqualTo(TasksConfig.Store.REDIS);
        assertThat(config.tasks().dataDir()).isEqualTo(Path.of("/var/lib/goldcrest"));
        assertThat(config.tasks().redis().orElseThrow().url().reveal()).isEqualTo("redis://:pw@127.0.0.1:6390/0");
        assertThat(config.tasks().redis().orElseThrow().toString()).doesNotContain("pw@");
        assertThat(config.tasks().watchInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 8000));
        assertThat(config.auth().allowedClientIds()).containsExactly("portal", "jupyterhub");
        assertThat(config.delegation()).isPresent();
        ClusterConfig cluster = config.cluster("daint").orElseThrow();
        assertThat(cluster.probeUser()).contains("f7t-probe");
        assertThat(cluster.accountsCacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(cluster.maxListEntries()).isEqualTo(200_000);
        assertThat(cluster.jobsCacheTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(cluster.stagingPollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cluster.fileSystems()).hasSize(2);
    }

    @Test
    void taskStoreSettingsAreCheckedAndTheDataDirectoryIsRelativeToTheFile() throws IOException {
        String base = devTemplate();
        GoldcrestConfig embedded = ConfigLoader.parse(base.replace("data_dir: \"@STATE@/data\"", "data_dir: \"state\""), directory);
        assertThat(embedded.tasks().store()).isEqualTo(TasksConfig.Store.EMBEDDED);
        assertThat(embedded.tasks().dataDir()).isEqualTo(directory.resolve("state"));
        assertThat(embedded.tasks().retention()).isEqualTo(Duration.ofDays(7));

        assertThatThrownBy(() -> ConfigLoader.parse(base.replace("tasks: {store: embedded,", "tasks: {store: redis,"), directory))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .contains("goldcrest.tasks.store: is 'redis' but goldcrest.redis.url is not set"));
        assertThatThrownBy(() -> ConfigLoader.parse(base.replace("tasks: {store: embedded,", "tasks: {store: memcached,"), directory))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .contains("goldcrest.tasks.store: must be embedded or redis, not 'memcached'"));
        assertThatThrownBy(() -> ConfigLoader.parse(base.replace("tasks: {store: embedded,", "redis: {url: \"http://127.0.0.1:6390\"}\n  tasks: {store: redis,"), directory))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .contains("goldcrest.redis.url: must be a redis:// or rediss:// URL"));
    }

    @Test
    void v1IsServedUnderItsOwnPrefixAndItsReservationToolIsPlainWords() throws IOException {
        String base = devTemplate();
        GoldcrestConfig defaults = ConfigLoader.parse(base, directory);
        assertThat(defaults.v1()).isEqualTo(V1Config.defaults());
        assertThat(defaults.v1().prefix()).isEqualTo("/v1");
        assertThat(defaults.v1().reservationsCommand()).isEmpty();

        GoldcrestConfig custom = ConfigLoader.parse(base.replace("tasks: {store: embedded,",
                "v1: {prefix: /firecrest/v1/, reservations_command: \"sudo -n /usr/local/bin/rsvmgmt\", reservations_timeout: 45s}\n  tasks: {store: embedded,"), directory);
        assertThat(custom.v1().prefix()).isEqualTo("/firecrest/v1");
        assertThat(custom.v1().reservationsCommand()).containsExactly("sudo", "-n", "/usr/local/bin/rsvmgmt");
        assertThat(custom.v1().reservationsTimeout()).isEqualTo(Duration.ofSeconds(45));

        assertThatThrownBy(() -> ConfigLoader.parse(base.replace("tasks: {store: embedded,",
                "v1: {prefix: \"/\", reservations_command: \"rsvmgmt; rm -rf ~\"}\n  tasks: {store: embedded,"), directory))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
                        "goldcrest.v1.prefix: must be a path such as '/v1': v1 cannot share the root with v2",
                        "goldcrest.v1.reservations_command: must be plain words (letters, digits, '_', '.', '/', '=', ':', '+', '-')"));
    }

    @Test
    void everyProblemIsReportedWithItsField() {
        String yaml = """
                auth:
                  authentication:
                    public_certs: ["ftp://idp/certs"]
                    min_token_ttl: -1
                  authorization: {url: "http://fga.example.org"}
                goldcrest:
                  auth: {algorithms: ["HS256"]}
                  delegation: {ca_private_key_file: "/x", certificate_lifetime: "5 parsecs"}
                clusters:
                - name: "a"
                  ssh: {host: "h", port: 0, timeout: {command_execution: 60, idle_timeout: 30}}
                  scheduler: {type: "pbs", version: "1"}
                  probing: {services: {ssh: {timeout: 5}, gpu: {timeout: 1}}}
                  file_systems: [{path: "relative", data_type: "users"}]
                  goldcrest: {host_keys: ["not a key"]}
                - name: "A"
                  ssh: {host: "h", port: 22}
                  scheduler: {type: "slurm", version: "1"}
                  probing: {}
                  goldcrest: {host_keys: ["%s"]}
                """.formatted(HOST_KEY);

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, directory))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "auth.authentication.public_certs[0]: must be an http, https or file URL, not 'ftp://idp/certs'",
                        "auth.authentication.public_certs: must list at least one JWKS URL (http, https or file): tokens cannot be checked without keys",
                        "auth.authentication.min_token_ttl: must be between 0 and 86400, not -1",
                        "auth.authorization: OpenFGA authorization is not supported by Goldcrest yet; remove it rather than run without the checks it asks for",
                        "goldcrest.auth.algorithms[0]: 'HS256' is not accepted: only RSA and EC algorithms (RS*, PS*, ES*) can be checked against an IdP's public keys",
                        "goldcrest.auth.algorithms: must list at least one algorithm",
                        "goldcrest.delegation.certificate_lifetime: must be a duration such as 30s, 5m or 2h, not '5 parsecs'",
                        "clusters[0].ssh.port: must be between 1 and 65535, not 0",
                        "clusters[0].ssh.timeout.idle_timeout: must exceed command_execution (60 s)",
                        "clusters[0].scheduler.type: PBS is not supported by Goldcrest yet; only slurm",
                        "clusters[0].probing.services.gpu: unknown service 'gpu'; use scheduler, ssh, filesystem or s3",
                        "clusters[0].file_systems[0].path: must be an absolute path, not 'relative'",
                        "clusters[0].goldcrest.host_keys[0]: must be an OpenSSH public key line such as 'ssh-ed25519 AAAA...'",
                        "clusters[1].name: 'a' is used by two clusters"));
    }

    @Test
    void missingSectionsAreNamed() {
        assertThatThrownBy(() -> ConfigLoader.parse("clusters: []\n", directory))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "auth.authentication: is required",
                        "ssh_credentials: is required unless goldcrest.delegation is set: Goldcrest needs a way to log in as each user"));
    }

    @Test
    void brokenYamlNamesTheLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("auth:\n  authentication: [\n", directory))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems().getFirst())
                        .startsWith("configuration: not valid YAML at line"));
    }
}
