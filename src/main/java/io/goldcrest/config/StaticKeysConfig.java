package io.goldcrest.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** FirecREST's {@code ssh_credentials} of type {@code SSHStaticKeys}: one fixed key per cluster user. */
public record StaticKeysConfig(Map<String, StaticKey> keys) {
    public StaticKeysConfig {
        keys = Map.copyOf(keys);
    }

    /**
     * @param privateKey the OpenSSH or PEM private key text
     * @param publicCertificate an OpenSSH certificate line for the key, when the login node wants one
     */
    public record StaticKey(Secret privateKey, Optional<String> publicCertificate, Optional<Secret> passphrase) {
        public StaticKey {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(publicCertificate, "publicCertificate");
            Objects.requireNonNull(passphrase, "passphrase");
        }
    }
}
