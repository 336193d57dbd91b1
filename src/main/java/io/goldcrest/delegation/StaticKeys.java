package io.goldcrest.delegation;

import io.goldcrest.config.ConfigException;
import io.goldcrest.config.StaticKeysConfig;
import io.goldcrest.config.StaticKeysConfig.StaticKey;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.security.SecurityUtils;

/** FirecREST's {@code SSHStaticKeys}: a fixed key (and optional certificate) per user, parsed once at start-up. */
public final class StaticKeys implements CredentialSource {
    private final Map<String, SshIdentity> identities;

    private StaticKeys(Map<String, SshIdentity> identities) {
        this.identities = Map.copyOf(identities);
    }

    /** @throws ConfigException naming {@code ssh_credentials.keys.<user>} for each key that does not parse */
    public static StaticKeys load(StaticKeysConfig config) {
        Map<String, SshIdentity> identities = new HashMap<>();
        List<String> problems = new ArrayList<>();
        config.keys().forEach((user, key) -> {
            try {
                identities.put(user, parse(user, key));
            } catch (Exception e) {
                problems.add("ssh_credentials.keys." + user + ": cannot load the key (" + e.getClass().getSimpleName() + ")");
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new StaticKeys(identities);
    }

    private static SshIdentity parse(String user, StaticKey key) throws Exception {
        FilePasswordProvider passwords = key.passphrase()
                .map(secret -> FilePasswordProvider.of(secret.reveal()))
                .orElse(FilePasswordProvider.EMPTY);
        byte[] bytes = key.privateKey().reveal().getBytes(StandardCharsets.UTF_8);
        Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, () -> "ssh_credentials.keys." + user,
                new ByteArrayInputStream(bytes), passwords);
        if (pairs == null || !pairs.iterator().hasNext()) {
            throw new IllegalArgumentException("no private key");
        }
        KeyPair pair = pairs.iterator().next();
        if (key.publicCertificate().isPresent()) {
            PublicKey certificate = PublicKeyEntry.parsePublicKeyEntry(key.publicCertificate().get().trim())
                    .resolvePublicKey(null, null, null);
            pair = new KeyPair(certificate, pair.getPrivate());
        }
        return new SshIdentity(user, pair, Optional.empty());
    }

    @Override
    public SshIdentity identityFor(String username) {
        SshIdentity identity = identities.get(username);
        if (identity == null) {
            throw new GoldcrestException(ErrorCode.NO_SSH_CREDENTIALS, "No SSH credentials are configured for user " + username);
        }
        return identity;
    }
}
