package io.goldcrest.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the gateway enforces before a request reaches a service ({@code goldcrest.gateway}): address
 * filters, CORS, the registry of clients, the authorization policy and rate limits. Every part is
 * off or open by default, so a FirecREST configuration behaves as it does in FirecREST.
 *
 * @param trustedProxies peers whose {@code X-Forwarded-For} is believed; from any other peer the
 *     header is ignored and the peer's own address is the client's
 * @param addresses allow and deny lists applied to every request, before anything else is done
 * @param corsOrigins browser origins allowed to call the API (exact {@code scheme://host[:port]});
 *     empty serves no CORS headers at all
 * @param corsMaxAge how long a browser may cache a preflight answer
 * @param requireRegisteredClients refuse tokens whose client id is not a key of {@code clients}
 * @param clients the registered clients by client id ({@code azp} or {@code client_id})
 * @param authorization the policy; empty lets every authenticated user use every system and service
 * @param rateLimits token buckets; empty means no limits
 * @param sshQueuePerUser how many of one user's requests may wait for an SSH channel on one system
 *     beyond those running (the channels themselves are capped by {@code max_channels_per_connection});
 *     more are refused at once with 429 instead of piling up on the cluster's sshd
 */
public record GatewayConfig(
        List<Cidr> trustedProxies,
        AddressRules addresses,
        List<String> corsOrigins,
        Duration corsMaxAge,
        boolean requireRegisteredClients,
        Map<String, ClientEntry> clients,
        Optional<Authorization> authorization,
        Optional<RateLimits> rateLimits,
        int sshQueuePerUser) {

    public GatewayConfig {
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(addresses, "addresses");
        corsOrigins = List.copyOf(corsOrigins);
        Objects.requireNonNull(corsMaxAge, "corsMaxAge");
        clients = Map.copyOf(clients);
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(rateLimits, "rateLimits");
    }

    public static GatewayConfig open() {
        return new GatewayConfig(List.of(), AddressRules.NONE, List.of(), Duration.ofMinutes(10), false, Map.of(),
                Optional.empty(), Optional.empty(), 256);
    }

    /**
     * Address lists. An address in {@code deny} is refused; when {@code allow} is not empty, an address
     * outside it is refused too.
     */
    public record AddressRules(List<Cidr> allow, List<Cidr> deny) {
        public static final AddressRules NONE = new AddressRules(List.of(), List.of());

        public AddressRules {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
        }

        public boolean isEmpty() {
            return allow.isEmpty() && deny.isEmpty();
        }
    }

    /** A registered client: its own address lists, applied after the global ones. */
    public record ClientEntry(String clientId, AddressRules addresses) {
        public ClientEntry {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(addresses, "addresses");
        }
    }

    /**
     * The authorization policy: a request is allowed when at least one rule matches its client, its
     * user and its system, and grants the route's service at the level the route needs.
     *
     * @param groupsClaim the token claim holding the user's groups (a list of strings, or one string)
     * @param unixGroups also read the user's Unix groups on the system ({@code id} over SSH), once per
     *     user and system, kept for {@code unixGroupsTtl}
     */
    public record Authorization(String groupsClaim, boolean unixGroups, Duration unixGroupsTtl, List<Rule> rules) {
        public Authorization {
            Objects.requireNonNull(groupsClaim, "groupsClaim");
            Objects.requireNonNull(unixGroupsTtl, "unixGroupsTtl");
            rules = List.copyOf(rules);
        }

        /** True when some rule names a group, so groups must be known to decide. */
        public boolean usesGroups() {
            return rules.stream().anyMatch(rule -> !rule.groups().isEmpty());
        }
    }

    /**
     * One grant. An empty {@code clients} or {@code systems} matches any; the rule matches a user
     * listed in {@code users} or belonging to one of {@code groups}, and any user when both are empty.
     *
     * @param name where the rule is in the file ({@code goldcrest.gateway.authorization.rules[2]}), for messages
     */
    public record Rule(String name, Set<String> clients, Set<String> users, Set<String> groups, Set<String> systems,
                       Map<ApiService, AccessLevel> services) {
        public Rule {
            Objects.requireNonNull(name, "name");
            clients = Set.copyOf(clients);
            users = Set.copyOf(users);
            groups = Set.copyOf(groups);
            systems = Set.copyOf(systems);
            services = Map.copyOf(services);
        }
    }

    /**
     * Token buckets.
     *
     * @param shared keep the buckets in {@code goldcrest.redis}, so that every instance on that Redis
     *     enforces one limit; otherwise each instance counts on its own
     * @param perUser the bucket of each (client, user) and service, unless {@code services} names the service
     * @param services per-service overrides of {@code perUser}
     * @param perAddress the bucket of each source address for routes that need no token
     */
    public record RateLimits(boolean shared, Limit perUser, Map<ApiService, Limit> services, Limit perAddress) {
        public RateLimits {
            Objects.requireNonNull(perUser, "perUser");
            services = Map.copyOf(services);
            Objects.requireNonNull(perAddress, "perAddress");
        }

        public Limit limitFor(ApiService service) {
            return services.getOrDefault(service, perUser);
        }
    }

    /** A bucket of {@code capacity} requests, refilled evenly to full over {@code period}. */
    public record Limit(long capacity, Duration period) {
        public Limit {
            Objects.requireNonNull(period, "period");
        }
    }
}
