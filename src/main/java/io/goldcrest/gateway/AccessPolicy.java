package io.goldcrest.gateway;

import io.goldcrest.auth.Principal;
import io.goldcrest.config.AccessLevel;
import io.goldcrest.config.ApiService;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.GatewayConfig;
import io.goldcrest.config.GatewayConfig.Authorization;
import io.goldcrest.config.GatewayConfig.Rule;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.SshPool;
import io.goldcrest.status.IdCommand;
import io.goldcrest.status.UserIdentity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization policy ({@code goldcrest.gateway.authorization}): which client and user may use
 * which system and service, and whether only to read. A request is allowed when some rule matching
 * its client, its user (by name or group) and its system grants the route's service at the level the
 * route needs. Without a policy everything is allowed, as in FirecREST.
 *
 * <p>Groups come from the token; when {@code unix_groups} is on, the user's Unix groups on the
 * system are added, but only when the token alone does not allow the request and some group rule
 * could: reading them costs an SSH command (once per system and user, then cached).
 */
public final class AccessPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(AccessPolicy.class);

    private final GatewayConfig gateway;
    /** Configured system names in configuration order; Unix groups are only read on these. */
    private final List<String> systems;
    private final Optional<UnixGroups> unixGroups;

    public AccessPolicy(GoldcrestConfig config, SshPool pool, Clock clock) {
        this(config.gateway(), config.clusters().stream().map(ClusterConfig::name).toList(),
                (system, user) -> groupNames(pool.runner(system, user).run(new IdCommand())), clock);
    }

    AccessPolicy(GatewayConfig gateway, List<String> systems, UnixGroups.Source source, Clock clock) {
        this.gateway = gateway;
        this.systems = List.copyOf(systems);
        this.unixGroups = gateway.authorization()
                .filter(policy -> policy.unixGroups() && policy.usesGroups())
                .map(policy -> new UnixGroups(source, policy.unixGroupsTtl(), clock));
    }

    private static Set<String> groupNames(UserIdentity identity) {
        Set<String> names = new LinkedHashSet<>();
        names.add(identity.group().name());
        identity.groups().forEach(group -> names.add(group.name()));
        return names;
    }

    /**
     * @throws GoldcrestException {@code CLIENT_NOT_REGISTERED} when only registered clients are
     *     accepted and the token's client is not one (or the token names none)
     */
    public void requireRegistered(Principal principal) {
        if (!gateway.requireRegisteredClients()) {
            return;
        }
        Optional<String> client = principal.clientId();
        if (client.isEmpty()) {
            throw new GoldcrestException(ErrorCode.CLIENT_NOT_REGISTERED,
                    "The token names no client, and this API accepts tokens of registered clients only");
        }
        if (!gateway.clients().containsKey(client.get())) {
            throw new GoldcrestException(ErrorCode.CLIENT_NOT_REGISTERED, "Client '" + client.get() + "' is not registered with this API");
        }
    }

    /**
     * @param system the system the request is about, lower-cased; empty for routes about no system
     *     (tasks, the list of systems), which are allowed when the service is granted on any system
     * @throws GoldcrestException {@code ACCESS_DENIED}, naming the user, client, service and system;
     *     or the failure of reading the user's Unix groups on the requested system
     */
    public void authorize(Principal principal, Optional<String> system, ApiService service, AccessLevel needed) {
        if (gateway.authorization().isEmpty()) {
            return;
        }
        Authorization policy = gateway.authorization().get();
        AccessLevel granted = granted(policy, principal, principal.groups(), system, service);
        if (covers(granted, needed)) {
            return;
        }
        if (unixGroups.isPresent()) {
            for (String candidate : groupSystems(policy, principal, system, service, needed)) {
                Set<String> groups;
                try {
                    groups = unixGroups.get().of(candidate, principal.username());
                } catch (GoldcrestException e) {
                    if (system.isPresent()) {
                        throw e;
                    }
                    // A route about no system does not need this one; its groups just cannot count.
                    LOG.info("cannot read the Unix groups of {} on {}: {}", principal.username(), candidate, e.getMessage());
                    continue;
                }
                Set<String> all = new HashSet<>(principal.groups());
                all.addAll(groups);
                granted = wider(granted, granted(policy, principal, all, Optional.of(candidate), service));
                if (covers(granted, needed)) {
                    return;
                }
            }
        }
        throw denied(principal, system, service, needed, granted);
    }

    /** The widest level that the rules matching the client, user, groups and system grant; null for none. */
    private static AccessLevel granted(Authorization policy, Principal principal, Set<String> groups, Optional<String> system,
                                       ApiService service) {
        AccessLevel best = null;
        for (Rule rule : policy.rules()) {
            AccessLevel level = rule.services().get(service);
            if (level != null && matchesClient(rule, principal) && matchesSystem(rule, system)
                    && matchesUser(rule, principal.username(), groups)) {
                best = wider(best, level);
            }
        }
        return best;
    }

    /**
     * The known systems on which some rule naming groups could allow the request: only there can the
     * user's Unix groups change the answer. The requested system alone, or for routes about no
     * system every system such a rule covers.
     */
    private List<String> groupSystems(Authorization policy, Principal principal, Optional<String> system, ApiService service,
                                      AccessLevel needed) {
        List<String> candidates = new ArrayList<>();
        for (String name : system.map(List::of).orElse(systems)) {
            if (!systems.contains(name)) {
                continue;
            }
            boolean couldAllow = policy.rules().stream().anyMatch(rule -> !rule.groups().isEmpty()
                    && covers(rule.services().get(service), needed) && matchesClient(rule, principal)
                    && matchesSystem(rule, Optional.of(name)));
            if (couldAllow) {
                candidates.add(name);
            }
        }
        return candidates;
    }

    private static boolean matchesClient(Rule rule, Principal principal) {
        return rule.clients().isEmpty() || principal.clientId().filter(rule.clients()::contains).isPresent();
    }

    /** A rule without systems covers every system; any rule may grant a route about no system. */
    private static boolean matchesSystem(Rule rule, Optional<String> system) {
        return rule.systems().isEmpty() || system.isEmpty() || rule.systems().contains(system.get());
    }

    private static boolean matchesUser(Rule rule, String username, Set<String> groups) {
        if (rule.users().isEmpty() && rule.groups().isEmpty()) {
            return true;
        }
        return rule.users().contains(username) || rule.groups().stream().anyMatch(groups::contains);
    }

    private static boolean covers(AccessLevel granted, AccessLevel needed) {
        return granted != null && granted.covers(needed);
    }

    private static AccessLevel wider(AccessLevel a, AccessLevel b) {
        if (a == null) {
            return b;
        }
        return b == null || a.covers(b) ? a : b;
    }

    private static GoldcrestException denied(Principal principal, Optional<String> system, ApiService service, AccessLevel needed,
                                             AccessLevel granted) {
        String who = "User '" + principal.username() + "' " + principal.clientId().map(id -> "(client '" + id + "')").orElse("(no client)");
        String message;
        if (granted == null) {
            message = who + " may not use " + service.key() + system.map(name -> " on system '" + name + "'").orElse(" on any system");
        } else {
            message = who + " has " + granted.key() + " access to " + service.key() + system.map(name -> " on system '" + name + "'").orElse("")
                    + "; this request needs " + needed.key();
        }
        return new GoldcrestException(ErrorCode.ACCESS_DENIED, message);
    }
}
