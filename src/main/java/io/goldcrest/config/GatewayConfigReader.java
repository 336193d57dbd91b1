package io.goldcrest.config;

import io.goldcrest.config.GatewayConfig.AddressRules;
import io.goldcrest.config.GatewayConfig.Authorization;
import io.goldcrest.config.GatewayConfig.ClientEntry;
import io.goldcrest.config.GatewayConfig.Limit;
import io.goldcrest.config.GatewayConfig.RateLimits;
import io.goldcrest.config.GatewayConfig.Rule;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code goldcrest.gateway}, {@code goldcrest.metrics} and {@code goldcrest.audit}. */
final class GatewayConfigReader {
    private GatewayConfigReader() {}

    static GatewayConfig readGateway(ConfigNode node, List<ClusterConfig> clusters, boolean redisConfigured) {
        GatewayConfig defaults = GatewayConfig.open();
        if (!node.isObject()) {
            return defaults;
        }
        List<Cidr> proxies = cidrs(node.child("trusted_proxies"));
        AddressRules addresses = addressRules(node.child("ip_filter"));
        ConfigNode cors = node.child("cors");
        cors.isObject();
        List<String> origins = new ArrayList<>();
        for (ConfigNode origin : cors.child("origins").list()) {
            String value = origin.requiredString().trim();
            if (!isOrigin(value)) {
                origin.problem("must be an origin such as https://portal.example.org (scheme, host, optional port; no path), not '" + value + "'");
            }
            origins.add(value);
        }
        Duration maxAge = cors.child("max_age").duration(defaults.corsMaxAge(), Duration.ZERO, Duration.ofDays(1));
        boolean requireRegistered = node.child("require_registered_clients").bool(false);
        Map<String, ClientEntry> clients = new LinkedHashMap<>();
        ConfigNode clientsNode = node.child("clients");
        for (Map.Entry<String, ConfigNode> entry : clientsNode.entries().entrySet()) {
            ConfigNode client = entry.getValue();
            if (client.isPresent() && !client.isObject()) {
                continue;
            }
            clients.put(entry.getKey(), new ClientEntry(entry.getKey(), addressRules(client.child("ip_filter"))));
        }
        if (requireRegistered && clients.isEmpty()) {
            node.child("require_registered_clients").problem("is true but goldcrest.gateway.clients registers no client, so every token would be refused");
        }
        Optional<Authorization> authorization = readAuthorization(node.child("authorization"), clusters, clients.keySet());
        Optional<RateLimits> limits = readRateLimits(node.child("rate_limits"), redisConfigured);
        int queue = (int) node.child("ssh_queue_per_user").integer(defaults.sshQueuePerUser(), 0, 100_000);
        checkProbesFit(node.child("ssh_queue_per_user"), queue, clusters);
        return new GatewayConfig(proxies, addresses, origins, maxAge, requireRegistered, clients, authorization, limits, queue);
    }

    /**
     * A system's health probes run at once as its probe_user and count against that user's channels
     * and queue like any request: a probe refused by the queue would mark a healthy system unhealthy.
     */
    private static void checkProbesFit(ConfigNode queueNode, int queue, List<ClusterConfig> clusters) {
        for (ClusterConfig cluster : clusters) {
            if (cluster.probeUser().isEmpty()) {
                continue;
            }
            Map<ClusterConfig.ProbeService, Duration> probes = cluster.probing().services().orElse(Map.of());
            int atOnce = (probes.containsKey(ClusterConfig.ProbeService.SSH) ? 1 : 0)
                    + (probes.containsKey(ClusterConfig.ProbeService.SCHEDULER) ? 1 : 0)
                    + (probes.containsKey(ClusterConfig.ProbeService.FILESYSTEM) ? cluster.fileSystems().size() : 0);
            if (cluster.maxChannelsPerConnection() + queue < atOnce) {
                queueNode.problem("is " + queue + ", but system '" + cluster.name() + "' runs " + atOnce
                        + " SSH health probes at once as its probe_user, more than its max_channels_per_connection ("
                        + cluster.maxChannelsPerConnection() + ") and this queue together; raise either");
            }
        }
    }

    private static boolean isOrigin(String value) {
        try {
            URI uri = new URI(value);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static AddressRules addressRules(ConfigNode node) {
        if (!node.isObject()) {
            return AddressRules.NONE;
        }
        return new AddressRules(cidrs(node.child("allow")), cidrs(node.child("deny")));
    }

    private static List<Cidr> cidrs(ConfigNode node) {
        List<Cidr> blocks = new ArrayList<>();
        for (ConfigNode item : node.list()) {
            String text = item.requiredString();
            Optional<Cidr> block = Cidr.parse(text);
            if (block.isEmpty()) {
                item.problem("must be an address or address block such as 10.0.0.0/8 or 2001:db8::/32, not '" + text + "'");
            } else {
                blocks.add(block.get());
            }
        }
        return blocks;
    }

    private static Optional<Authorization> readAuthorization(ConfigNode node, List<ClusterConfig> clusters, Set<String> registered) {
        if (!node.isObject()) {
            return Optional.empty();
        }
        String groupsClaim = node.child("groups_claim").string("groups").strip();
        if (groupsClaim.isEmpty()) {
            node.child("groups_claim").problem("must name a token claim, such as groups");
            groupsClaim = "groups";
        }
        ConfigNode unix = node.child("unix_groups");
        unix.isObject();
        boolean unixGroups = unix.child("enabled").bool(false);
        Duration ttl = unix.child("cache_ttl").duration(Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1));
        List<Rule> rules = new ArrayList<>();
        ConfigNode rulesNode = node.child("rules");
        if (!rulesNode.isPresent()) {
            rulesNode.problem("is required when authorization is configured (with no rules every request would be refused)");
        }
        Set<String> systemNames = new LinkedHashSet<>();
        clusters.forEach(cluster -> systemNames.add(cluster.name()));
        for (ConfigNode ruleNode : rulesNode.list()) {
            if (!ruleNode.isPresent()) {
                ruleNode.problem("must be a mapping with services and optionally clients, users, groups, systems");
                continue;
            }
            if (!ruleNode.isObject()) {
                continue;
            }
            Set<String> clients = new LinkedHashSet<>(ruleNode.child("clients").stringList());
            Set<String> users = new LinkedHashSet<>(ruleNode.child("users").stringList());
            Set<String> groups = new LinkedHashSet<>(ruleNode.child("groups").stringList());
            Set<String> systems = new LinkedHashSet<>();
            for (ConfigNode system : ruleNode.child("systems").list()) {
                String name = system.requiredString().toLowerCase(Locale.ROOT);
                if (!systemNames.contains(name)) {
                    system.problem("names no configured cluster (known: " + String.join(", ", systemNames) + ")");
                }
                systems.add(name);
            }
            if (!registered.isEmpty()) {
                for (ConfigNode client : ruleNode.child("clients").list()) {
                    client.optionalString().filter(id -> !registered.contains(id)).ifPresent(id ->
                            client.problem("names client '" + id + "', which goldcrest.gateway.clients does not register"));
                }
            }
            Map<ApiService, AccessLevel> services = new EnumMap<>(ApiService.class);
            ConfigNode servicesNode = ruleNode.child("services");
            if (!servicesNode.isPresent()) {
                servicesNode.problem("is required: a mapping such as {compute: read-write, status: read-only} (or all: read-only)");
            }
            for (Map.Entry<String, ConfigNode> grant : servicesNode.entries().entrySet()) {
                // No default level: a grant written without one must not silently mean read-only.
                AccessLevel level = grant.getValue().enumValue(AccessLevel.class, null, AccessLevel::key);
                if (level == null) {
                    continue;
                }
                if (grant.getKey().equals("all")) {
                    for (ApiService service : ApiService.values()) {
                        services.merge(service, level, GatewayConfigReader::wider);
                    }
                    continue;
                }
                Optional<ApiService> service = serviceNamed(grant.getKey());
                if (service.isEmpty()) {
                    grant.getValue().problem("is not a service: use all, " + String.join(", ", serviceKeys()));
                    continue;
                }
                services.merge(service.get(), level, GatewayConfigReader::wider);
            }
            rules.add(new Rule(ruleNode.path(), clients, users, groups, systems, services));
        }
        return Optional.of(new Authorization(groupsClaim, unixGroups, ttl, rules));
    }

    private static AccessLevel wider(AccessLevel a, AccessLevel b) {
        return a == AccessLevel.READ_WRITE || b == AccessLevel.READ_WRITE ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY;
    }

    private static Optional<RateLimits> readRateLimits(ConfigNode node, boolean redisConfigured) {
        if (!node.isObject() || !node.child("enabled").bool(true)) {
            return Optional.empty();
        }
        String store = node.child("store").string("local");
        boolean shared = switch (store) {
            case "local" -> false;
            case "redis" -> {
                if (!redisConfigured) {
                    node.child("store").problem("is 'redis' but goldcrest.redis.url is not set");
                }
                yield true;
            }
            default -> {
                node.child("store").problem("must be local or redis, not '" + store + "'");
                yield false;
            }
        };
        Limit perUser = limit(node.child("per_user"), new Limit(600, Duration.ofMinutes(1)));
        Map<ApiService, Limit> services = new EnumMap<>(ApiService.class);
        for (Map.Entry<String, ConfigNode> entry : node.child("services").entries().entrySet()) {
            Optional<ApiService> service = serviceNamed(entry.getKey());
            if (service.isEmpty()) {
                entry.getValue().problem("is not a service: use " + String.join(", ", serviceKeys()));
                continue;
            }
            services.put(service.get(), limit(entry.getValue(), perUser));
        }
        Limit perAddress = limit(node.child("per_address"), new Limit(120, Duration.ofMinutes(1)));
        return Optional.of(new RateLimits(shared, perUser, services, perAddress));
    }

    private static Limit limit(ConfigNode node, Limit defaults) {
        if (node.isPresent() && !node.isObject()) {
            return defaults;
        }
        long capacity = node.child("capacity").integer(defaults.capacity(), 1, 1_000_000_000);
        Duration period = node.child("period").duration(defaults.period(), Duration.ofSeconds(1), Duration.ofDays(1));
        return new Limit(capacity, period);
    }

    private static Optional<ApiService> serviceNamed(String key) {
        for (ApiService service : ApiService.values()) {
            if (service.key().equals(key)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }

    private static List<String> serviceKeys() {
        return java.util.Arrays.stream(ApiService.values()).map(ApiService::key).toList();
    }

    static MetricsConfig readMetrics(ConfigNode node) {
        if (!node.isObject()) {
            return MetricsConfig.disabled();
        }
        boolean enabled = node.child("enabled").bool(true);
        String host = node.child("host").string("127.0.0.1");
        Optional<Integer> port = node.child("port").isPresent()
                ? Optional.of((int) node.child("port").integer(9464, 0, 65535)) : Optional.empty();
        Optional<Secret> token = node.child("token").optionalSecret();
        if (token.isPresent() && token.get().reveal().length() < 16) {
            node.child("token").problem("must be at least 16 characters (it guards the metrics endpoint)");
        }
        if (enabled && port.isEmpty() && token.isEmpty()) {
            node.problem("needs a port (a listener of its own) or a token (served at /metrics on the API port to that bearer token); metrics are never served openly");
        }
        return new MetricsConfig(enabled, host, port, token);
    }

    static AuditConfig readAudit(ConfigNode node) {
        if (!node.isObject()) {
            return AuditConfig.defaults();
        }
        return new AuditConfig(node.child("enabled").bool(true));
    }
}
