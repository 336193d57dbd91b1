package io.goldcrest.delegation;

import io.goldcrest.config.ConfigException;
import io.goldcrest.config.DelegationConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Goldcrest's own SSH user CA: for each user, a fresh Ed25519 key pair and a short-lived OpenSSH
 * certificate whose only principal is that user. The certificate carries no extensions, so the
 * login node grants no PTY, agent, X11 or port forwarding on it. Certificates are cached per user and
 * replaced once less than {@code renewBefore} of their life remains; a pooled connection keeps
 * working after its certificate expires, since sshd checks it only at login.
 */
public final class CertificateAuthority implements CredentialSource {
    private static final Set<PosixFilePermission> FORBIDDEN = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    /** Tolerates a login node whose clock is a little behind ours. */
    private static final Duration BACKDATE = Duration.ofMinutes(1);

    private final KeyPair caKeyPair;
    private final String signatureAlgorithm;
    private final Duration lifetime;
    private final Duration renewBefore;
    private final Clock clock;
    private final Map<String, SshIdentity> cache = new ConcurrentHashMap<>();
    private final AtomicLong serial = new AtomicLong(System.currentTimeMillis());

    private CertificateAuthority(KeyPair caKeyPair, Duration lifetime, Duration renewBefore, Clock clock) {
        this.caKeyPair = caKeyPair;
        this.signatureAlgorithm = signatureAlgorithmFor(caKeyPair);
        this.lifetime = lifetime;
        this.renewBefore = renewBefore;
        this.clock = clock;
    }

    /**
     * Loads the CA key, refusing a file that anyone but its owner can read.
     *
     * @throws ConfigException naming {@code goldcrest.delegation.ca_private_key_file}
     */
    public static CertificateAuthority load(DelegationConfig config, Clock clock) {
        Path file = config.caPrivateKeyFile();
        String field = "goldcrest.delegation.ca_private_key_file";
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> loose = EnumSet.copyOf(FORBIDDEN);
            loose.retainAll(permissions);
            if (!loose.isEmpty()) {
                throw new ConfigException(List.of(field + ": " + file
                        + " must be readable by its owner only (chmod 600); it grants " + loose));
            }
            KeyPair pair;
            try (InputStream input = Files.newInputStream(file)) {
                Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, () -> file.toString(), input, null);
                if (pairs == null || !pairs.iterator().hasNext()) {
                    throw new ConfigException(List.of(field + ": " + file + " holds no private key"));
                }
                pair = pairs.iterator().next();
            }
            return new CertificateAuthority(pair, config.certificateLifetime(), config.renewBefore(), clock);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(List.of(field + ": cannot load " + file + " (" + e.getClass().getSimpleName() + ")"));
        }
    }

    @Override
    public SshIdentity identityFor(String username) {
        Instant now = clock.instant();
        return cache.compute(username, (user, cached) -> {
            if (cached != null && cached.validUntil().orElseThrow().minus(renewBefore).isAfter(now)) {
                return cached;
            }
            return issue(user, now);
        });
    }

    private SshIdentity issue(String username, Instant now) {
        try {
            KeyPairGenerator generator = SecurityUtils.getKeyPairGenerator(SecurityUtils.EDDSA);
            generator.initialize(256, new SecureRandom());
            KeyPair userKeys = generator.generateKeyPair();
            Instant validUntil = now.plus(lifetime);
            OpenSshCertificate certificate = OpenSshCertificateBuilder.userCertificate()
                    .publicKey(userKeys.getPublic())
                    .serial(serial.incrementAndGet())
                    .id("goldcrest:" + username + ":" + now.getEpochSecond())
                    .principals(List.of(username))
                    .validAfter(now.minus(BACKDATE))
                    .validBefore(validUntil)
                    .sign(caKeyPair, signatureAlgorithm);
            return new SshIdentity(username, new KeyPair(certificate, userKeys.getPrivate()), Optional.of(validUntil));
        } catch (Exception e) {
            throw new GoldcrestException(ErrorCode.INTERNAL, "Unable to issue an SSH certificate for user " + username, e);
        }
    }

    /** OpenSSH 8.2+ refuses SHA-1 RSA signatures on certificates, so RSA CAs sign with SHA-256. */
    private static String signatureAlgorithmFor(KeyPair pair) {
        String keyType = KeyUtils.getKeyType(pair);
        return KeyPairProvider.SSH_RSA.equals(keyType) ? KeyUtils.RSA_SHA512_KEY_TYPE_ALIAS : keyType;
    }
}
