package io.goldcrest.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.goldcrest.config.ClusterConfig.ConnectionMode;
import io.goldcrest.config.ClusterConfig.DataOperation;
import io.goldcrest.config.ClusterConfig.DataTransfer;
import io.goldcrest.config.ClusterConfig.DataType;
import io.goldcrest.config.ClusterConfig.FileSystem;
import io.goldcrest.config.ClusterConfig.HostKeys;
import io.goldcrest.config.ClusterConfig.Multipart;
import io.goldcrest.config.ClusterConfig.ProbeService;
import io.goldcrest.config.ClusterConfig.Probing;
import io.goldcrest.config.ClusterConfig.S3Transfer;
import io.goldcrest.config.ClusterConfig.Scheduler;
import io.goldcrest.config.ClusterConfig.SchedulerType;
import io.goldcrest.config.ClusterConfig.ServiceAccount;
import io.goldcrest.config.ClusterConfig.Ssh;
import io.goldcrest.config.ClusterConfig.StreamerTransfer;
import io.goldcrest.config.ClusterConfig.Timeouts;
import io.goldcrest.config.ClusterConfig.WormholeTransfer;
import io.goldcrest.config.TasksConfig.RedisConfig;
import io.goldcrest.config.StaticKeysConfig.StaticKey;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates the YAML configuration. Every problem found is reported at once, one line
 * each, naming the field ({@code clusters[0].ssh.port: must be between 1 and 65535, not 0}).
 */
public final class ConfigLoader {
    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** RSA and EC signatures only: HMAC would let anyone holding the public key forge tokens. */
    private static final Set<String> ASYMMETRIC_ALGORITHMS = Set.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    private static final List<Path> DEFAULT_KNOWN_HOSTS = List.of(
            Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"), Path.of("/etc/ssh/ssh_known_hosts"));

    private ConfigLoader() {}

    public static GoldcrestConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read the configuration file (" + e.getClass().getSimpleName() + ")"));
        }
        return parse(text, file.toAbsolutePath().getParent());
    }

    /** @param baseDirectory where {@code clusters: path:<dir>} is resolved when relative */
    public static GoldcrestConfig parse(String yaml, Path baseDirectory) {
        Problems problems = new Problems();
        JsonNode tree = readYaml(yaml, "configuration");
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(List.of("(top level): must be a mapping of settings"));
        }
        ConfigNode root = new ConfigNode(tree, "", problems);
        ConfigNode goldcrest = root.child("goldcrest");
        goldcrest.isObject();

        String appVersion = root.child("app_version").string("2.x.x");
        String rootPath = normaliseRootPath(root.child("apis_root_path"));
        ServerConfig server = readServer(goldcrest.child("server"));
        AuthConfig auth = readAuth(root.child("auth"), goldcrest.child("auth"));
        Optional<DelegationConfig> delegation = readDelegation(goldcrest.child("delegation"));
        Optional<StaticKeysConfig> staticKeys = readSshCredentials(root.child("ssh_credentials"), delegation.isPresent());
        List<ClusterConfig> clusters = readClusters(root.child("clusters"), baseDirectory, problems);
        TasksConfig tasks = readTasks(goldcrest, baseDirectory);
        V1Config v1 = readV1(goldcrest.child("v1"), rootPath);
        GatewayConfig gateway = GatewayConfigReader.readGateway(goldcrest.child("gateway"), clusters, tasks.redis().isPresent());
        MetricsConfig metrics = GatewayConfigReader.readMetrics(goldcrest.child("metrics"));
        AuditConfig audit = GatewayConfigReader.readAudit(goldcrest.child("audit"));

        problems.throwIfAny();
        return new GoldcrestConfig(appVersion, rootPath, server, auth, staticKeys, delegation, clusters, tasks, v1, gateway, metrics, audit);
    }

    private static JsonNode readYaml(String yaml, String what) {
        try {
            return new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            String location = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(List.of(what + ": not valid YAML" + location + ": " + e.getOriginalMessage()));
        }
    }

    private static TasksConfig readTasks(ConfigNode goldcrest, Path baseDirectory) {
        // Relative to the configuration file, like clusters: path:<dir>, so a start from another directory finds the same store.
        Path dataDir = baseDirectory.resolve(goldcrest.child("data_dir").string("data")).normalize();
        Optional<RedisConfig> redis = Optional.empty();
        ConfigNode redisNode = goldcrest.child("redis");
        if (redisNode.isObject()) {
            Secret url = redisNode.child("url").requiredSecret();
            if (!url.reveal().isEmpty() && !url.reveal().matches("rediss?://.+")) {
                redisNode.child("url").problem("must be a redis:// or rediss:// URL");
            }
            String prefix = redisNode.child("key_prefix").string("goldcrest");
            if (!prefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
                redisNode.child("key_prefix").problem("must be 1 to 64 letters, digits, '_', '.', ':' or '-'");
            }
            redis = Optional.of(new RedisConfig(url, prefix));
        }
        ConfigNode tasks = goldcrest.child("tasks");
        tasks.isObject();
        String storeName = tasks.child("store").string("embedded");
        TasksConfig.Store store = TasksConfig.Store.EMBEDDED;
        switch (storeName) {
            case "embedded" -> store = TasksConfig.Store.EMBEDDED;
            case "redis" -> {
                store = TasksConfig.Store.REDIS;
                if (redis.isEmpty()) {
                    tasks.child("store").problem("is 'redis' but goldcrest.redis.url is not set");
                }
            }
            default -> tasks.child("store").problem("must be embedded or redis, not '" + storeName + "'");
        }
        Duration retention = tasks.child("retention").duration(Duration.ofDays(7), Duration.ofMinutes(1), Duration.ofDays(366));
        Duration interval = tasks.child("watch_interval").duration(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMinutes(10));
        return new TasksConfig(store, dataDir, redis, retention, interval);
    }

    private static V1Config readV1(ConfigNode node, String rootPath) {
        node.isObject();
        V1Config defaults = V1Config.defaults();
        boolean enabled = node.child("enabled").bool(defaults.enabled());
        String prefix = normaliseRootPath(node.child("prefix"));
        if (!node.child("prefix").isPresent()) {
            prefix = defaults.prefix();
        } else if (prefix.isEmpty()) {
            // v1 and v2 share paths such as /status/systems, so v1 needs a prefix of its own.
            node.child("prefix").problem("must be a path such as '/v1': v1 cannot share the root with v2");
        } else if (prefix.equalsIgnoreCase(rootPath)) {
            node.child("prefix").problem("is the same as apis_root_path ('" + rootPath + "'); v1 and v2 need different prefixes");
        }
        List<String> command = List.of();
        Optional<String> commandText = node.child("reservations_command").optionalString();
        if (commandText.isPresent() && !commandText.get().isBlank()) {
            command = List.of(commandText.get().trim().split("\\s+"));
            if (!command.stream().allMatch(word -> word.matches("[A-Za-z0-9_./=:+-]+"))) {
                // The words reach a shell unquoted-by-design (they are the site's own tool), so keep them plain.
                node.child("reservations_command").problem("must be plain words (letters, digits, '_', '.', '/', '=', ':', '+', '-')");
            }
        }
        Duration timeout = node.child("reservations_timeout").duration(defaults.reservationsTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(10));
        return new V1Config(enabled, prefix, command, timeout);
    }

    private static String normaliseRootPath(ConfigNode node) {
        String value = node.string("").trim();
        if (value.isEmpty() || value.equals("/")) {
            return "";
        }
        if (!value.startsWith("/")) {
            node.problem("must start with '/', not '" + value + "'");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static ServerConfig readServer(ConfigNode node) {
        node.isObject();
        String host = node.child("host").string("127.0.0.1");
        int port = (int) node.child("port").integer(8000, 0, 65535);
        return new ServerConfig(host, port);
    }

    private static AuthConfig readAuth(ConfigNode auth, ConfigNode extra) {
        ConfigNode authentication = auth.child("authentication");
        if (!authentication.isObject()) {
            if (!authentication.isPresent()) {
                authentication.problem("is required");
            }
        }
        if (auth.child("authorization").isPresent()) {
            auth.child("authorization").problem(
                    "OpenFGA authorization is not supported by Goldcrest yet; remove it rather than run without the checks it asks for");
        }
        Optional<String> tokenUrl = authentication.child("token_url").optionalString();
        String method = authentication.child("token_endpoint_auth_method").string("client_secret_basic");
        if (!method.equals("client_secret_basic") && !method.equals("client_secret_post")) {
            authentication.child("token_endpoint_auth_method").problem(
                    "must be client_secret_basic or client_secret_post, not '" + method + "'");
        }
        List<URI> certs = new ArrayList<>();
        ConfigNode certsNode = authentication.child("public_certs");
        for (ConfigNode item : certsNode.list()) {
            item.optionalString().ifPresent(text -> parseKeySetUri(item, text).ifPresent(certs::add));
        }
        if (certs.isEmpty() && authentication.isPresent()) {
            certsNode.problem("must list at least one JWKS URL (http, https or file): tokens cannot be checked without keys");
        }
        String usernameClaim = authentication.child("username_claim").string("preferred_username");
        Optional<String> jwkAlgorithm = authentication.child("jwk_algorithm").optionalString();
        jwkAlgorithm.ifPresent(algorithm -> {
            if (!ASYMMETRIC_ALGORITHMS.contains(algorithm)) {
                authentication.child("jwk_algorithm").problem("must be an RSA or EC JWS algorithm such as RS256, not '" + algorithm + "'");
            }
        });
        Duration minTtl = authentication.child("min_token_ttl").seconds(Duration.ofSeconds(30), 0, 86_400);

        extra.isObject();
        List<String> issuers = extra.child("issuers").stringList();
        List<String> audiences = extra.child("audiences").stringList();
        List<String> clientIds = extra.child("allowed_client_ids").stringList();
        Set<String> algorithms = new HashSet<>(ASYMMETRIC_ALGORITHMS);
        ConfigNode algorithmsNode = extra.child("algorithms");
        if (algorithmsNode.isPresent()) {
            algorithms.clear();
            for (ConfigNode item : algorithmsNode.list()) {
                item.optionalString().ifPresent(algorithm -> {
                    if (ASYMMETRIC_ALGORITHMS.contains(algorithm)) {
                        algorithms.add(algorithm);
                    } else {
                        item.problem("'" + algorithm + "' is not accepted: only RSA and EC algorithms (RS*, PS*, ES*) can be checked against an IdP's public keys");
                    }
                });
            }
            if (algorithms.isEmpty()) {
                algorithmsNode.problem("must list at least one algorithm");
            }
        }
        Duration skew = extra.child("clock_skew").duration(Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(10));
        Set<String> denied = new HashSet<>(Set.of("root"));
        if (extra.child("denied_usernames").isPresent()) {
            denied = new HashSet<>(extra.child("denied_usernames").stringList());
        }
        Duration cacheTtl = extra.child("jwks_cache_ttl").duration(Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1));
        Duration refreshInterval = extra.child("jwks_refresh_min_interval")
                .duration(Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(1));
        return new AuthConfig(tokenUrl, method, certs, usernameClaim, jwkAlgorithm, minTtl, issuers, audiences,
                clientIds, algorithms, skew, denied, cacheTtl, refreshInterval);
    }

    private static Optional<URI> parseKeySetUri(ConfigNode node, String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("http") || scheme.equals("https") || scheme.equals("file")) {
                return Optional.of(uri);
            }
            node.problem("must be an http, https or file URL, not '" + text + "'");
        } catch (URISyntaxException e) {
            node.problem("is not a valid URL: " + e.getReason());
        }
        return Optional.empty();
    }

    private static Optional<DelegationConfig> readDelegation(ConfigNode node) {
        if (!node.isObject()) {
            return Optional.empty();
        }
        String keyFile = node.child("ca_private_key_file").requiredString();
        Duration lifetime = node.child("certificate_lifetime").duration(Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofDays(1));
        Duration renewBefore = node.child("renew_before").duration(Duration.ofMinutes(2), Duration.ZERO, Duration.ofDays(1));
        if (renewBefore.compareTo(lifetime) >= 0) {
            node.child("renew_before").problem("must be shorter than certificate_lifetime (" + lifetime + ")");
        }
        return Optional.of(new DelegationConfig(Path.of(keyFile), lifetime, renewBefore));
    }

    private static Optional<StaticKeysConfig> readSshCredentials(ConfigNode node, boolean delegationConfigured) {
        if (!node.isObject()) {
            if (!node.isPresent() && !delegationConfigured) {
                node.problem("is required unless goldcrest.delegation is set: Goldcrest needs a way to log in as each user");
            }
            return Optional.empty();
        }
        String type = node.child("type").requiredString();
        switch (type) {
            case "SSHStaticKeys" -> {
                Map<String, StaticKey> keys = new LinkedHashMap<>();
                node.child("keys").entries().forEach((user, entry) -> {
                    if (!UserNames.isValid(user)) {
                        entry.problem("'" + user + "' is not a valid user name");
                    }
                    Secret privateKey = entry.child("private_key").requiredSecret();
                    Optional<String> certificate = entry.child("public_cert").optionalString();
                    Optional<Secret> passphrase = entry.child("passphrase").optionalSecret();
                    keys.put(user, new StaticKey(privateKey, certificate, passphrase));
                });
                return Optional.of(new StaticKeysConfig(keys));
            }
            case "SSHService", "SSHCA" -> {
                if (!delegationConfigured) {
                    node.child("type").problem("'" + type
                            + "' (an external key service) is not supported by Goldcrest; use SSHStaticKeys or goldcrest.delegation");
                }
                return Optional.empty();
            }
            case "" -> {
                return Optional.empty();
            }
            default -> {
                node.child("type").problem("must be SSHStaticKeys, SSHService or SSHCA, not '" + type + "'");
                return Optional.empty();
            }
        }
    }

    private static List<ClusterConfig> readClusters(ConfigNode node, Path baseDirectory, Problems problems) {
        List<ConfigNode> items = node.isText()
                ? readClusterDirectory(node, node.string(""), baseDirectory, problems)
                : node.list();
        List<ClusterConfig> clusters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode item : items) {
            if (!item.isObject()) {
                item.problem("must be a mapping");
                continue;
            }
            ClusterConfig cluster = readCluster(item);
            if (!cluster.name().isEmpty() && !names.add(cluster.name())) {
                item.child("name").problem("'" + cluster.name() + "' is used by two clusters");
            }
            clusters.add(cluster);
        }
        return clusters;
    }

    /** FirecREST's {@code clusters: "path:/dir"}: every *.yaml file of the directory is one cluster. */
    private static List<ConfigNode> readClusterDirectory(ConfigNode node, String value, Path baseDirectory, Problems problems) {
        if (!value.startsWith("path:")) {
            node.problem("must be a list of clusters or 'path:<directory>'");
            return List.of();
        }
        Path directory = baseDirectory.resolve(value.substring("path:".length()).trim());
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.yaml")) {
            stream.forEach(files::add);
        } catch (IOException e) {
            node.problem("cannot list cluster files in " + directory + " (" + e.getClass().getSimpleName() + ")");
            return List.of();
        }
        files.sort(null);
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Path file : files) {
            try {
                array.add(readYaml(Files.readString(file), file.toString()));
            } catch (IOException e) {
                node.problem("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            } catch (ConfigException e) {
                e.problems().forEach(line -> node.problem(line));
            }
        }
        return new ConfigNode(array, node.path(), problems).list();
    }

    private static ClusterConfig readCluster(ConfigNode node) {
        String name = node.child("name").requiredString().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !CLUSTER_NAME.matcher(name).matches()) {
            node.child("name").problem("'" + name + "' must be letters, digits, '.', '_' or '-' (it is a URL segment)");
        }
        ConfigNode goldcrest = node.child("goldcrest");
        goldcrest.isObject();

        Ssh ssh = readSsh(node.child("ssh"));
        Scheduler scheduler = readScheduler(node.child("scheduler"));
        Optional<ServiceAccount> serviceAccount = Optional.empty();
        ConfigNode account = node.child("service_account");
        if (account.isObject()) {
            serviceAccount = Optional.of(new ServiceAccount(account.child("client_id").requiredString(), account.child("secret").requiredSecret()));
        }
        Probing probing = readProbing(node.child("probing"));
        List<FileSystem> fileSystems = readFileSystems(node.child("file_systems"));
        DataOperation dataOperation = readDataOperation(node.child("data_operation"));
        HostKeys hostKeys = readHostKeys(goldcrest);
        Optional<String> probeUser = goldcrest.child("probe_user").optionalString();
        probeUser.ifPresent(user -> {
            if (!UserNames.isValid(user)) {
                goldcrest.child("probe_user").problem("'" + user + "' is not a valid user name");
            }
        });
        int maxChannels = (int) goldcrest.child("max_channels_per_connection").integer(10, 1, 10_000);
        Duration accountsTtl = goldcrest.child("accounts_cache_ttl").duration(Duration.ofSeconds(60), Duration.ZERO, Duration.ofDays(1));
        int maxListEntries = (int) goldcrest.child("max_list_entries").integer(200_000, 1, 10_000_000);
        Duration jobsTtl = goldcrest.child("jobs_cache_ttl").duration(Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(1));
        Duration stagingPoll = goldcrest.child("staging_poll_interval").duration(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10));
        return new ClusterConfig(name, ssh, scheduler, serviceAccount, probing, fileSystems, dataOperation, hostKeys,
                probeUser, maxChannels, accountsTtl, maxListEntries, jobsTtl, stagingPoll);
    }

    private static Ssh readSsh(ConfigNode node) {
        if (!node.isObject()) {
            node.problem("is required");
        }
        String host = node.child("host").requiredString();
        int port = (int) node.child("port").requiredInteger(1, 65535);
        if (node.child("proxy_host").isPresent()) {
            node.child("proxy_host").problem("jump hosts are not supported by Goldcrest yet");
        }
        int maxClients = (int) node.child("max_clients").integer(100, 1, 100_000);
        ConfigNode timeout = node.child("timeout");
        timeout.isObject();
        Duration connection = timeout.child("connection").seconds(Duration.ofSeconds(5), 1, 3600);
        Duration login = timeout.child("login").seconds(Duration.ofSeconds(5), 1, 3600);
        Duration execution = timeout.child("command_execution").seconds(Duration.ofSeconds(5), 1, 86_400);
        Duration idle = timeout.child("idle_timeout").seconds(Duration.ofSeconds(60), 1, 86_400);
        Duration keepAlive = timeout.child("keep_alive").seconds(Duration.ofSeconds(5), 1, 3600);
        if (idle.compareTo(execution) <= 0) {
            timeout.child("idle_timeout").problem("must exceed command_execution (" + execution.toSeconds() + " s)");
        }
        return new Ssh(host, port, maxClients, new Timeouts(connection, login, execution, idle, keepAlive));
    }

    private static Scheduler readScheduler(ConfigNode node) {
        if (!node.isObject()) {
            node.problem("is required");
        }
        SchedulerType type = node.child("type").enumValue(SchedulerType.class, null, ConfigLoader::lower);
        if (type == SchedulerType.PBS) {
            node.child("type").problem("PBS is not supported by Goldcrest yet; only slurm");
        }
        ConnectionMode mode = node.child("connection_mode").enumValue(ConnectionMode.class, ConnectionMode.SSH, ConfigLoader::lower);
        if (mode != null && mode != ConnectionMode.SSH) {
            node.child("connection_mode").problem("'" + lower(mode) + "' is not supported by Goldcrest yet; only ssh");
        }
        String version = node.child("version").requiredString();
        Optional<String> apiUrl = node.child("api_url").optionalString();
        Optional<String> apiVersion = node.child("api_version").optionalString();
        Duration timeout = node.child("timeout").seconds(Duration.ofSeconds(10), 1, 3600);
        return new Scheduler(type == null ? SchedulerType.SLURM : type, mode == null ? ConnectionMode.SSH : mode,
                version, apiUrl, apiVersion, timeout);
    }

    private static Probing readProbing(ConfigNode node) {
        if (!node.isPresent()) {
            node.problem("is required (it may be {} to disable health checks)");
        }
        node.isObject();
        Duration interval = node.childOf("interval_check", "interval").seconds(Duration.ofSeconds(120), 1, 86_400);
        ConfigNode servicesNode = node.child("services");
        if (!servicesNode.isObject()) {
            return new Probing(Optional.empty(), interval);
        }
        Map<ProbeService, Duration> services = new EnumMap<>(ProbeService.class);
        servicesNode.entries().forEach((key, value) -> {
            Optional<ProbeService> service = switch (key) {
                case "scheduler" -> Optional.of(ProbeService.SCHEDULER);
                case "ssh" -> Optional.of(ProbeService.SSH);
                case "filesystem", "filesystems" -> Optional.of(ProbeService.FILESYSTEM);
                case "s3", "storage" -> Optional.of(ProbeService.S3);
                default -> {
                    value.problem("unknown service '" + key + "'; use scheduler, ssh, filesystem or s3");
                    yield Optional.empty();
                }
            };
            value.isObject();
            Duration timeout = value.child("timeout").seconds(Duration.ofSeconds(10), 1, 3600);
            service.ifPresent(probe -> services.put(probe, timeout));
        });
        return new Probing(Optional.of(services), interval);
    }

    private static List<FileSystem> readFileSystems(ConfigNode node) {
        List<FileSystem> fileSystems = new ArrayList<>();
        int defaults = 0;
        for (ConfigNode item : node.list()) {
            if (!item.isObject()) {
                continue;
            }
            String path = item.child("path").requiredString();
            if (!path.isEmpty() && !path.startsWith("/")) {
                item.child("path").problem("must be an absolute path, not '" + path + "'");
            }
            String normalised = path.length() > 1 ? Path.of(path).normalize().toString() : path;
            DataType type = item.child("data_type").enumValue(DataType.class, null, ConfigLoader::lower);
            boolean isDefault = item.child("default_work_dir").bool(false);
            defaults += isDefault ? 1 : 0;
            fileSystems.add(new FileSystem(normalised, type == null ? DataType.USERS : type, isDefault));
        }
        if (defaults > 1) {
            node.problem("only one file system may have default_work_dir: true");
        }
        return fileSystems;
    }

    private static DataOperation readDataOperation(ConfigNode node) {
        node.isObject();
        long maxSize = node.child("max_ops_file_size").integer(5L * 1024 * 1024, 1024, 1L << 40);
        List<String> directives = node.child("datatransfer_jobs_directives").stringList();
        Optional<DataTransfer> transfer = readDataTransfer(node.child("data_transfer"));
        return new DataOperation(maxSize, directives, transfer);
    }

    private static Optional<DataTransfer> readDataTransfer(ConfigNode node) {
        if (!node.isObject()) {
            return Optional.empty();
        }
        String type = node.child("service_type").requiredString();
        switch (type) {
            case "s3" -> {
                ConfigNode multipart = node.child("multipart");
                Multipart parts = new Multipart(
                        multipart.child("use_split").bool(false),
                        multipart.child("max_part_size").integer(2L * 1024 * 1024 * 1024, 5L * 1024 * 1024, 5L * 1024 * 1024 * 1024),
                        (int) multipart.child("parallel_runs").integer(3, 1, 1000),
                        multipart.child("tmp_folder").string("tmp"));
                int days = (int) node.child("bucket_lifecycle_configuration").child("days").integer(10, 1, 36_500);
                Secret privateUrl = node.child("private_url").requiredSecret();
                checkEndpoint(node.child("private_url"), privateUrl.reveal(), false);
                String publicUrl = node.child("public_url").requiredString();
                checkEndpoint(node.child("public_url"), publicUrl, true);
                return Optional.of(new S3Transfer(
                        node.child("name").requiredString(),
                        privateUrl,
                        publicUrl,
                        node.child("access_key_id").requiredSecret(),
                        node.child("secret_access_key").requiredSecret(),
                        node.child("region").requiredString(),
                        node.child("ttl").requiredInteger(1, 604_800),
                        node.child("tenant").optionalString(),
                        parts, days));
            }
            case "wormhole" -> {
                return Optional.of(new WormholeTransfer(node.child("pypi_index_url").optionalString()));
            }
            case "streamer" -> {
                List<Integer> ports = node.child("port_range").list().stream()
                        .map(item -> (int) item.integer(0, 1, 65535)).toList();
                if (node.child("port_range").isPresent() && ports.size() != 2) {
                    node.child("port_range").problem("must be two ports [first, last]");
                }
                List<String> publicIps = node.child("public_ips").isPresent()
                        ? node.child("public_ips").stringList() : List.of("localhost");
                return Optional.of(new StreamerTransfer(
                        node.child("pypi_index_url").optionalString(),
                        node.child("host").optionalString(),
                        ports.isEmpty() ? List.of(5665, 5675) : ports,
                        publicIps,
                        node.child("wait_timeout").integer(86_400, 1, 31_536_000),
                        node.child("inbound_transfer_limit").integer(5_368_709_120L, 1, Long.MAX_VALUE)));
            }
            case "" -> {
                return Optional.empty();
            }
            default -> {
                node.child("service_type").problem("must be s3, wormhole or streamer, not '" + type + "'");
                return Optional.empty();
            }
        }
    }

    /** An S3 endpoint: an http or https URL with a host; a secret one is not quoted in the problem. */
    private static void checkEndpoint(ConfigNode node, String text, boolean quote) {
        if (text.isEmpty()) {
            return;   // requiredString/requiredSecret reported it
        }
        String shown = quote ? ", not '" + text + "'" : "";
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                node.problem("must be an http or https URL with a host" + shown);
            }
        } catch (URISyntaxException e) {
            node.problem("is not a valid URL: " + e.getReason());   // the reason never quotes the input
        }
    }

    private static HostKeys readHostKeys(ConfigNode goldcrest) {
        List<String> pinned = new ArrayList<>();
        for (ConfigNode item : goldcrest.child("host_keys").list()) {
            item.optionalString().ifPresent(line -> {
                String[] parts = line.trim().split("\\s+");
                if (parts.length < 2 || !parts[0].matches("(ssh|ecdsa|sk)-[A-Za-z0-9@.-]+") || !parts[1].matches("[A-Za-z0-9+/]{32,}={0,2}")) {
                    item.problem("must be an OpenSSH public key line such as 'ssh-ed25519 AAAA...'");
                } else {
                    pinned.add(line.trim());
                }
            });
        }
        Optional<Path> knownHosts = goldcrest.child("known_hosts_file").optionalString().map(Path::of);
        knownHosts.ifPresent(file -> {
            if (!Files.isReadable(file)) {
                goldcrest.child("known_hosts_file").problem("cannot read " + file);
            }
        });
        boolean configured = goldcrest.child("host_keys").isPresent() || knownHosts.isPresent();
        if (!configured) {
            // A FirecREST file has no host keys: fall back to the standard known_hosts files, never to trust-on-first-use.
            knownHosts = DEFAULT_KNOWN_HOSTS.stream().filter(Files::isReadable).findFirst();
        }
        if (!configured && knownHosts.isEmpty()) {
            goldcrest.problem("set host_keys or known_hosts_file: Goldcrest verifies the login node's host key and has none to compare with"
                    + " (no readable " + DEFAULT_KNOWN_HOSTS + " either)");
        }
        return new HostKeys(pinned, knownHosts);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
