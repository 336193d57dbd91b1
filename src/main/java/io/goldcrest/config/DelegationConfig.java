package io.goldcrest.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Goldcrest's own SSH certificate authority ({@code goldcrest.delegation}).
 *
 * @param certificateLifetime how long each user certificate is valid; it only has to be valid at login
 * @param renewBefore a cached certificate is replaced once less than this remains
 */
public record DelegationConfig(Path caPrivateKeyFile, Duration certificateLifetime, Duration renewBefore) {
    public DelegationConfig {
        Objects.requireNonNull(caPrivateKeyFile, "caPrivateKeyFile");
        Objects.requireNonNull(certificateLifetime, "certificateLifetime");
        Objects.requireNonNull(renewBefore, "renewBefore");
    }
}
