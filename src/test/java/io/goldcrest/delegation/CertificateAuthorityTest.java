package io.goldcrest.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.TestClock;
import io.goldcrest.config.ConfigException;
import io.goldcrest.config.DelegationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    @TempDir
    Path directory;
    private Path caKey;

    /** A real CA key made by ssh-keygen, as an operator would make it. */
    @BeforeEach
    void makeCaKey() throws Exception {
        caKey = directory.resolve("user_ca");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-ca", "-f", caKey.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).as(new String(keygen.getInputStream().readAllBytes())).isZero();
        Files.setPosixFilePermissions(caKey, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void issuesAShortLivedCertificateForTheUserOnly() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));
        CertificateAuthority authority = CertificateAuthority.load(
                new DelegationConfig(caKey, Duration.ofMinutes(10), Duration.ofMinutes(2)), clock);

        SshIdentity identity = authority.identityFor("alice");
        OpenSshCertificate certificate = (OpenSshCertificate) identity.keyPair().getPublic();
        assertThat(certificate.getType()).isEqualTo(OpenSshCertificate.Type.USER);
        assertThat(certificate.getPrincipals()).containsExactly("alice");
        assertThat(certificate.getValidBefore()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)).getEpochSecond());
        assertThat(certificate.getValidAfter()).isLessThanOrEqualTo(clock.instant().getEpochSecond());
        assertThat(certificate.getExtensions()).as("no pty, agent, X11 or port forwarding").isEmpty();
        assertThat(certificate.getCriticalOptions()).isEmpty();
        String caPublic = Files.readString(directory.resolve("user_ca.pub")).split(" ")[1];
        assertThat(KeyUtils.getFingerPrint(certificate.getCaPubKey()))
                .isEqualTo(KeyUtils.getFingerPrint(org.apache.sshd.common.config.keys.PublicKeyEntry
                        .parsePublicKeyEntry("ssh-ed25519 " + caPublic).resolvePublicKey(null, null, null)));
        assertThat(identity.toString()).doesNotContain("PRIVATE").contains("alice");
    }

    @Test
    void reusesTheCertificateUntilItIsDueForRenewal() {
        TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));
        CertificateAuthority authority = CertificateAuthority.load(
                new DelegationConfig(caKey, Duration.ofMinutes(10), Duration.ofMinutes(2)), clock);
        SshIdentity first = authority.identityFor("alice");

        clock.advance(Duration.ofMinutes(7));
        assertThat(authority.identityFor("alice")).isSameAs(first);
        assertThat(authority.identityFor("bob")).isNotSameAs(first);

        clock.advance(Duration.ofMinutes(2));
        SshIdentity renewed = authority.identityFor("alice");
        assertThat(renewed).isNotSameAs(first);
        assertThat(renewed.validUntil()).contains(clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void refusesACaKeyOthersCanRead() throws Exception {
        Files.setPosixFilePermissions(caKey, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> CertificateAuthority.load(
                new DelegationConfig(caKey, Duration.ofMinutes(10), Duration.ofMinutes(2)), Clock.systemUTC()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems().getFirst())
                        .startsWith("goldcrest.delegation.ca_private_key_file: " + caKey + " must be readable by its owner only (chmod 600)"));
    }

    @Test
    void refusesAMissingCaKey() {
        Path missing = directory.resolve("nope");
        assertThatThrownBy(() -> CertificateAuthority.load(
                new DelegationConfig(missing, Duration.ofMinutes(10), Duration.ofMinutes(2)), Clock.systemUTC()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("goldcrest.delegation.ca_private_key_file: cannot load " + missing + " (NoSuchFileException)"));
    }
}
