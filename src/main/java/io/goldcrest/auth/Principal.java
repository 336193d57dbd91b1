package io.goldcrest.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a request acts for. The raw token is deliberately not kept: nothing downstream needs it, and
 * what is not held cannot be logged.
 *
 * @param username the cluster (POSIX) user every remote command runs as
 * @param clientId the OAuth client the token was issued to ({@code azp} or {@code client_id})
 */
public record Principal(String username, Optional<String> clientId, Instant expiresAt) {
    public Principal {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
