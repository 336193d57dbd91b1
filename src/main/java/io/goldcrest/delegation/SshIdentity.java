package io.goldcrest.delegation;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a connection logs in with. For certificate logins the key pair's public half is the
 * {@code OpenSshCertificate}. {@link #toString()} shows no key material.
 *
 * @param validUntil when a certificate stops being accepted at login; empty for plain keys
 */
public record SshIdentity(String username, KeyPair keyPair, Optional<Instant> validUntil) {
    public SshIdentity {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(validUntil, "validUntil");
    }

    @Override
    public String toString() {
        return "SshIdentity[username=" + username + ", validUntil=" + validUntil + "]";
    }
}
