package io.goldcrest.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request acts for. The raw token is deliberately not kept: nothing downstream needs it, and
 * what is not held cannot be logged.
 *
 * @param username the cluster (POSIX) user every remote command runs as
 * @param clientId the OAuth client the token was issued to ({@code azp} or {@code client_id})
 * @param groups the groups the token's groups claim names (empty when it has none); the
 *     authorization policy may add the user's Unix groups on a system to these
 */
public record Principal(String username, Optional<String> clientId, Instant expiresAt, Set<String> groups) {
    public Principal {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        groups = Set.copyOf(groups);
    }

    /** A principal whose token names no groups. */
    public Principal(String username, Optional<String> clientId, Instant expiresAt) {
        this(username, clientId, expiresAt, Set.of());
    }
}
