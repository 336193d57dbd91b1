package io.goldcrest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bucket naming; nothing here talks to S3 (the client is built but never used). */
class S3StagingTest {
    private final S3Staging staging = S3Staging.create(S3Admin.transfer("http://127.0.0.1:1", "https://localhost:9443",
            "key", "secret", 5L * 1024 * 1024, 3600, 1, Optional.empty()));

    @AfterEach
    void close() {
        staging.close();
    }

    @Test
    void validBucketNamesAreTheUserName() {
        assertPlain("alice");
        assertPlain("abc");
        assertPlain("fire.user-01");
        assertPlain("9lives");
        assertPlain("a".repeat(63));
    }

    @Test
    void otherUserNamesGetAStableDerivedName() {
        assertDerived("Alice");            // upper case
        assertDerived("ab");               // too short
        assertDerived("a".repeat(64));     // too long
        assertDerived("bob_smith");        // underscore
        assertDerived("-alice");
        assertDerived("alice-");
        assertDerived("a..b");
        assertDerived("192.168.1.10");     // IP-like
        assertDerived("xn--alice");        // S3's reserved prefixes and suffixes
        assertDerived("sthree-alice");
        assertDerived("alice-s3alias");
        assertDerived("alice--ol-s3");
        assertDerived("alice.mrap");
        assertDerived("alice--x-s3");
        assertDerived("jörg");
        assertDerived("");
    }

    @Test
    void noUserCanBeGivenAnotherUsersDerivedBucket() {
        String derived = staging.bucketFor("Alice");
        assertDerived(derived);
        assertThat(staging.bucketFor(derived)).isNotEqualTo(derived);
    }

    @Test
    void derivedNamesAreTheFirst16HexDigitsOfTheSha256() {
        // printf %s Alice | sha256sum
        assertThat(staging.bucketFor("Alice")).isEqualTo("goldcrest-3bc51062973c458d");
        assertThat(staging.bucketFor("alice_1")).isNotEqualTo(staging.bucketFor("alice_2"));
    }

    private void assertPlain(String user) {
        assertThat(staging.bucketFor(user)).as(user).isEqualTo(user);
    }

    private void assertDerived(String user) {
        String bucket = staging.bucketFor(user);
        assertThat(bucket).as(user).matches("goldcrest-[0-9a-f]{16}").isEqualTo(staging.bucketFor(user));
    }
}
