package io.goldcrest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.TestClock;
import io.goldcrest.auth.Principal;
import io.goldcrest.config.AccessLevel;
import io.goldcrest.config.ApiService;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final AccessLevel RO = AccessLevel.READ_ONLY;
    private static final AccessLevel RW = AccessLevel.READ_WRITE;

    private final TestClock clock = new TestClock(NOW);
    /** Every Unix group lookup the policy makes, as system/user. */
    private final List<String> lookups = new ArrayList<>();
    private Map<String, Set<String>> unixGroups = Map.of();

    private AccessPolicy policy(String gateway) {
        GoldcrestConfig config = TestConfigs.withGateway(gateway);
        return new AccessPolicy(config.gateway(), List.of("cluster", "other"), (system, user) -> {
            lookups.add(system + "/" + user);
            Set<String> groups = unixGroups.get(system + "/" + user);
            if (groups == null) {
                throw new GoldcrestException(ErrorCode.SSH_CONNECTION_FAILED, "cannot reach " + system);
            }
            return groups;
        }, clock);
    }

    private static Principal user(String name, String client, String... groups) {
        return new Principal(name, Optional.ofNullable(client), NOW.plusSeconds(300), Set.of(groups));
    }

    private static void allowed(AccessPolicy policy, Principal principal, String system, ApiService service, AccessLevel needed) {
        assertThatCode(() -> policy.authorize(principal, Optional.ofNullable(system), service, needed))
                .as("%s via %s on %s: %s %s", principal.username(), principal.clientId(), system, service, needed)
                .doesNotThrowAnyException();
    }

    private static void denied(AccessPolicy policy, Principal principal, String system, ApiService service, AccessLevel needed,
                               String message) {
        assertThatThrownBy(() -> policy.authorize(principal, Optional.ofNullable(system), service, needed))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void withoutAPolicyEverythingIsAllowed() {
        AccessPolicy open = policy("    trusted_proxies: []\n");
        for (ApiService service : ApiService.values()) {
            allowed(open, user("bob", null), "cluster", service, RW);
            allowed(open, user("bob", "anything"), null, service, RW);
        }
        assertThatCode(() -> open.requireRegistered(user("bob", null))).doesNotThrowAnyException();
    }

    @Test
    void aRuleMatchesItsClientsUsersAndSystemsAndGrantsItsServicesOnly() {
        AccessPolicy policy = policy("""
                    authorization:
                      rules:
                      - {clients: [portal], users: [alice], systems: [cluster], services: {compute: read-write}}
                """);
        allowed(policy, user("alice", "portal"), "cluster", ApiService.COMPUTE, RW);
        allowed(policy, user("alice", "portal"), "cluster", ApiService.COMPUTE, RO);
        denied(policy, user("bob", "portal"), "cluster", ApiService.COMPUTE, RO,
                "User 'bob' (client 'portal') may not use compute on system 'cluster'");
        denied(policy, user("alice", "cli"), "cluster", ApiService.COMPUTE, RO,
                "User 'alice' (client 'cli') may not use compute on system 'cluster'");
        denied(policy, user("alice", null), "cluster", ApiService.COMPUTE, RO,
                "User 'alice' (no client) may not use compute on system 'cluster'");
        denied(policy, user("alice", "portal"), "other", ApiService.COMPUTE, RO,
                "User 'alice' (client 'portal') may not use compute on system 'other'");
        denied(policy, user("alice", "portal"), "cluster", ApiService.FILESYSTEM, RO,
                "User 'alice' (client 'portal') may not use filesystem on system 'cluster'");
        // A system no rule names, configured or not, is refused like any other.
        denied(policy, user("alice", "portal"), "nowhere", ApiService.COMPUTE, RO,
                "User 'alice' (client 'portal') may not use compute on system 'nowhere'");
    }

    @Test
    void readOnlyGrantsRefuseWritesAndTheWidestMatchingGrantCounts() {
        AccessPolicy policy = policy("""
                    authorization:
                      rules:
                      - {services: {all: read-only}}
                      - {users: [alice], systems: [other], services: {filesystem: read-write}}
                """);
        allowed(policy, user("bob", "cli"), "cluster", ApiService.FILESYSTEM, RO);
        allowed(policy, user("bob", null), "other", ApiService.TRANSFER, RO);
        denied(policy, user("bob", "cli"), "cluster", ApiService.FILESYSTEM, RW,
                "User 'bob' (client 'cli') has read-only access to filesystem on system 'cluster'; this request needs read-write");
        allowed(policy, user("alice", "cli"), "other", ApiService.FILESYSTEM, RW);
        denied(policy, user("alice", "cli"), "cluster", ApiService.FILESYSTEM, RW,
                "User 'alice' (client 'cli') has read-only access to filesystem on system 'cluster'; this request needs read-write");
        denied(policy, user("alice", "cli"), "other", ApiService.COMPUTE, RW,
                "User 'alice' (client 'cli') has read-only access to compute on system 'other'; this request needs read-write");
    }

    @Test
    void routesAboutNoSystemNeedTheServiceOnSomeSystem() {
        AccessPolicy policy = policy("""
                    authorization:
                      rules:
                      - {users: [alice], systems: [other], services: {tasks: read-write, status: read-only}}
                      - {users: [bob], systems: [cluster], services: {tasks: read-only}}
                """);
        allowed(policy, user("alice", null), null, ApiService.TASKS, RW);
        allowed(policy, user("alice", null), null, ApiService.STATUS, RO);
        allowed(policy, user("bob", null), null, ApiService.TASKS, RO);
        denied(policy, user("bob", null), null, ApiService.TASKS, RW,
                "User 'bob' (no client) has read-only access to tasks; this request needs read-write");
        denied(policy, user("bob", null), null, ApiService.STATUS, RO, "User 'bob' (no client) may not use status on any system");
    }

    @Test
    void tokenGroupsMatchGroupRules() {
        AccessPolicy policy = policy("""
                    authorization:
                      groups_claim: roles
                      rules:
                      - {groups: [hpc], services: {compute: read-write}}
                      - {users: [carol], groups: [guests], services: {compute: read-only}}
                """);
        allowed(policy, user("bob", null, "physics", "hpc"), "cluster", ApiService.COMPUTE, RW);
        denied(policy, user("bob", null, "physics"), "cluster", ApiService.COMPUTE, RO,
                "User 'bob' (no client) may not use compute on system 'cluster'");
        // A rule with both users and groups matches either.
        allowed(policy, user("carol", null), "cluster", ApiService.COMPUTE, RO);
        allowed(policy, user("dave", null, "guests"), "cluster", ApiService.COMPUTE, RO);
        assertThat(lookups).as("Unix groups are off").isEmpty();
    }

    @Test
    void unixGroupsAreReadOnlyWhenTheTokenDoesNotDecideAndThenKeptForTheirTtl() {
        unixGroups = Map.of("cluster/bob", Set.of("bob", "hpc"), "other/bob", Set.of("bob"));
        AccessPolicy policy = policy("""
                    authorization:
                      unix_groups: {enabled: true, cache_ttl: 5m}
                      rules:
                      - {users: [alice], services: {all: read-write}}
                      - {groups: [hpc], systems: [cluster], services: {compute: read-write}}
                      - {groups: [staff], services: {status: read-only}}
                """);
        allowed(policy, user("alice", null), "cluster", ApiService.COMPUTE, RW);
        allowed(policy, user("carol", null, "hpc"), "cluster", ApiService.COMPUTE, RW);
        assertThat(lookups).as("the token decided").isEmpty();

        allowed(policy, user("bob", null), "cluster", ApiService.COMPUTE, RW);
        allowed(policy, user("bob", null), "cluster", ApiService.COMPUTE, RO);
        assertThat(lookups).containsExactly("cluster/bob");

        // No group rule could allow compute on 'other' or on an unknown system: nothing is read there.
        denied(policy, user("bob", null), "other", ApiService.COMPUTE, RO, "User 'bob' (no client) may not use compute on system 'other'");
        denied(policy, user("bob", null), "nowhere", ApiService.STATUS, RO, "User 'bob' (no client) may not use status on system 'nowhere'");
        assertThat(lookups).containsExactly("cluster/bob");

        // 'staff' could allow status anywhere: bob's groups on 'other' are read once, then remembered.
        denied(policy, user("bob", null), "other", ApiService.STATUS, RO, "User 'bob' (no client) may not use status on system 'other'");
        denied(policy, user("bob", null), "other", ApiService.STATUS, RO, "User 'bob' (no client) may not use status on system 'other'");
        assertThat(lookups).containsExactly("cluster/bob", "other/bob");

        clock.advance(Duration.ofMinutes(5));
        allowed(policy, user("bob", null), "cluster", ApiService.COMPUTE, RW);
        assertThat(lookups).as("read again after the TTL").containsExactly("cluster/bob", "other/bob", "cluster/bob");
    }

    @Test
    void routesAboutNoSystemLookAtEverySystemAGroupRuleCoversAndSkipUnreachableOnes() {
        unixGroups = Map.of("other/bob", Set.of("hpc"));
        AccessPolicy policy = policy("""
                    authorization:
                      unix_groups: {enabled: true}
                      rules:
                      - {groups: [hpc], services: {tasks: read-write}}
                """);
        // 'cluster' cannot be read (no entry: the source fails), 'other' grants it.
        allowed(policy, user("bob", null), null, ApiService.TASKS, RW);
        assertThat(lookups).containsExactly("cluster/bob", "other/bob");
        // A failed reading is not kept; a good one is.
        allowed(policy, user("bob", null), null, ApiService.TASKS, RW);
        assertThat(lookups).containsExactly("cluster/bob", "other/bob", "cluster/bob");

        // On a route about the system itself, the failure is the answer.
        assertThatThrownBy(() -> policy.authorize(user("bob", null), Optional.of("cluster"), ApiService.TASKS, RW))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SSH_CONNECTION_FAILED));
    }

    @Test
    void unixGroupsAreNotReadWhenNoRuleNamesAGroup() {
        unixGroups = Map.of("cluster/bob", Set.of("hpc"));
        AccessPolicy policy = policy("""
                    authorization:
                      unix_groups: {enabled: true}
                      rules:
                      - {users: [alice], services: {all: read-write}}
                """);
        denied(policy, user("bob", null), "cluster", ApiService.COMPUTE, RO, "User 'bob' (no client) may not use compute on system 'cluster'");
        assertThat(lookups).isEmpty();
    }

    @Test
    void registeredClientsAreRequiredOnlyWhenConfigured() {
        AccessPolicy strict = policy("""
                    require_registered_clients: true
                    clients: {portal: {}}
                """);
        assertThatCode(() -> strict.requireRegistered(user("bob", "portal"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> strict.requireRegistered(user("bob", "scraper")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_NOT_REGISTERED);
                    assertThat(e.getMessage()).isEqualTo("Client 'scraper' is not registered with this API");
                });
        assertThatThrownBy(() -> strict.requireRegistered(user("bob", null)))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_NOT_REGISTERED);
                    assertThat(e.getMessage()).isEqualTo("The token names no client, and this API accepts tokens of registered clients only");
                });

        AccessPolicy lenient = policy("""
                    clients: {portal: {}}
                """);
        assertThatCode(() -> lenient.requireRegistered(user("bob", "scraper"))).doesNotThrowAnyException();
    }
}
