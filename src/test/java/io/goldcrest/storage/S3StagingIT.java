package io.goldcrest.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.LocalServices;
import io.goldcrest.api.ErrorMapper;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.time.Instant;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link S3Staging} against the local S3Proxy, which verifies SigV4 signatures and presigned URLs as S3 does. */
class S3StagingIT {
    private static final long MIB = 1024 * 1024;
    private static final long PART_SIZE = 5 * MIB;

    private final S3Admin admin = new S3Admin(LocalServices.s3Proxy());
    private final PresignedClient http = new PresignedClient();
    private final List<S3Staging> stagings = new ArrayList<>();
    private final List<String> buckets = new ArrayList<>();
    private String endpoint;
    private String user;

    @BeforeEach
    void uniqueUser() {
        endpoint = admin.service.endpoint().toString();
        user = newUser();
    }

    @AfterEach
    void cleanUp() {
        stagings.forEach(S3Staging::close);
        buckets.forEach(admin::deleteBucket);
        admin.close();
    }

    @Test
    void ensureBucketCreatesTheBucketAndToleratesAnExistingOne() {
        S3Staging staging = staging(endpoint, 3600);
        staging.ensureBucket(user);
        staging.ensureBucket(user);
        // a second instance has an empty cache: S3 answers BucketAlreadyOwnedByYou, and S3Proxy 501 to lifecycle calls
        staging(endpoint, 3600).ensureBucket(user);

        assertThat(admin.bucketExists(user)).isTrue();
    }

    @Test
    void clientUploadsThroughPublicUrlsAndTheJobReadsThroughPrivateOnes() {
        S3Staging staging = staging(endpoint, 3600);
        byte[] data = randomBytes(12 * MIB);

        StagedUpload upload = staging.startUpload(user, "/home/" + user + "/data/big.bin", data.length);

        assertThat(upload.partSize()).isEqualTo(PART_SIZE);
        assertThat(upload.object().bucket()).isEqualTo(user);
        assertThat(upload.object().key()).matches("[0-9a-f-]{36}/big\\.bin");
        assertThat(upload.partUrls()).hasSize(3);
        for (int part = 1; part <= 3; part++) {
            URI url = upload.partUrls().get(part - 1);
            assertThat(url.getQuery()).contains("partNumber=" + part, "uploadId=", "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                    "X-Amz-Expires=3600", "X-Amz-SignedHeaders=host");
            assertThat(url.getPath()).isEqualTo("/" + user + "/" + upload.object().key());
        }
        assertThat(staging.uploadedBytes(upload.object(), upload.uploadId())).contains(0L);
        assertThat(staging.exists(upload.object())).isFalse();
        assertThat(http.head(upload.headUrl())).isEqualTo(404);

        List<String> etags = http.putParts(upload.partUrls().subList(0, 2), data, PART_SIZE);
        assertThat(staging.uploadedBytes(upload.object(), upload.uploadId())).contains(10 * MIB);
        etags.addAll(http.putParts(upload.partUrls().subList(2, 3), Arrays.copyOfRange(data, (int) (10 * MIB), data.length), PART_SIZE));
        assertThat(staging.uploadedBytes(upload.object(), upload.uploadId())).contains(12 * MIB);
        HttpResponse<String> completed = http.complete(upload.completeUrl(), etags);
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);

        assertThat(staging.uploadedBytes(upload.object(), upload.uploadId())).isEmpty();
        assertThat(staging.exists(upload.object())).isTrue();
        assertThat(http.head(upload.headUrl())).isEqualTo(200);
        HttpResponse<byte[]> download = http.get(upload.getUrl());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(PresignedClient.sha256(download.body())).isEqualTo(PresignedClient.sha256(data));

        staging.delete(upload.object());
        assertThat(staging.exists(upload.object())).isFalse();
        staging.delete(upload.object());
    }

    @Test
    void anEmptyFileIsOnePart() {
        S3Staging staging = staging(endpoint, 3600);

        StagedUpload upload = staging.startUpload(user, "empty", 0);
        assertThat(upload.partUrls()).hasSize(1);
        http.upload(upload.partUrls(), upload.completeUrl(), new byte[0], PART_SIZE);

        HttpResponse<byte[]> download = http.get(upload.getUrl());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEmpty();
    }

    @Test
    void tamperedOrMisusedUrlsAreRefused() {
        S3Staging staging = staging(endpoint, 3600);
        byte[] data = randomBytes(1000);
        StagedUpload upload = staging.startUpload(user, "small.txt", data.length);
        http.upload(upload.partUrls(), upload.completeUrl(), data, PART_SIZE);
        assertThat(http.get(upload.getUrl()).statusCode()).isEqualTo(200);

        String url = upload.getUrl().toString();
        String signature = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        String flipped = (signature.charAt(0) == '0' ? '1' : '0') + signature.substring(1);
        assertThat(http.get(URI.create(url.replace(signature, flipped))).statusCode()).as("tampered signature").isEqualTo(403);
        assertThat(http.get(URI.create(url.replace("/small.txt?", "/other.txt?"))).statusCode()).as("tampered key").isEqualTo(403);
        assertThat(http.send("PUT", upload.getUrl(), BodyPublishers.ofString("overwrite")).statusCode()).as("PUT on a GET URL").isEqualTo(403);
        assertThat(http.get(URI.create(url.substring(0, url.indexOf('?')))).statusCode()).as("no signature").isEqualTo(403);
        assertThat(PresignedClient.sha256(http.get(upload.getUrl()).body())).isEqualTo(PresignedClient.sha256(data));
    }

    @Test
    void expiredUrlsAreRefused() throws InterruptedException {
        S3Staging staging = staging(endpoint, 1);
        StagedUpload upload = staging.startUpload(user, "late.bin", 10);
        assertThat(upload.partUrls().getFirst().getQuery()).contains("X-Amz-Expires=1&");

        // Wait no longer than needed: poll the HEAD URL until S3 refuses it (1 s lifetime; a few s at most).
        Instant deadline = Instant.now().plusSeconds(10);
        while (http.head(upload.headUrl()) != 403 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }

        HttpResponse<String> put = http.send("PUT", upload.partUrls().getFirst(), BodyPublishers.ofByteArray(new byte[10]));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(403);
        assertThat(http.head(upload.headUrl())).isEqualTo(403);
        assertThat(staging.uploadedBytes(upload.object(), upload.uploadId())).contains(0L);
    }

    @Test
    void aSinglePutThroughThePublicUrlIsReadByTheJobThroughPrivateOnes() {
        URI publicEndpoint = URI.create(endpoint.replace("127.0.0.1", "localhost"));
        S3Staging staging = staging(publicEndpoint.toString(), 3600);
        byte[] data = randomBytes(3 * MIB + 17);

        StagedPut put = staging.startPut(user, "/home/" + user + "/data/one file.bin");

        assertThat(admin.bucketExists(user)).isTrue();
        assertThat(put.object().bucket()).isEqualTo(user);
        assertThat(put.object().key()).matches("[0-9a-f-]{36}/one file\\.bin");
        assertThat(put.putUrl().getAuthority()).isEqualTo(publicEndpoint.getAuthority());
        assertThat(put.putUrl().getQuery()).contains("X-Amz-Expires=3600", "X-Amz-SignedHeaders=host").doesNotContain("uploadId");
        assertThat(put.headUrl().getAuthority()).isEqualTo(URI.create(endpoint).getAuthority());
        assertThat(put.getUrl().getAuthority()).isEqualTo(URI.create(endpoint).getAuthority());
        assertThat(staging.size(put.object())).isEmpty();
        assertThat(http.head(put.headUrl())).isEqualTo(404);

        HttpResponse<String> sent = http.send("PUT", put.putUrl(), BodyPublishers.ofByteArray(data));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

        assertThat(staging.size(put.object())).contains((long) data.length);
        assertThat(staging.exists(put.object())).isTrue();
        assertThat(http.head(put.headUrl())).isEqualTo(200);
        assertThat(PresignedClient.sha256(http.get(put.getUrl()).body())).isEqualTo(PresignedClient.sha256(data));
        staging.delete(put.object());
        assertThat(staging.size(put.object())).isEmpty();
    }

    @Test
    void aTamperedMisusedOrExpiredPutUrlIsRefused() throws InterruptedException {
        S3Staging staging = staging(endpoint, 3600);
        StagedPut put = staging.startPut(user, "small.txt");
        String url = put.putUrl().toString();
        String signature = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        String flipped = (signature.charAt(0) == '0' ? '1' : '0') + signature.substring(1);

        assertThat(http.send("PUT", URI.create(url.replace(signature, flipped)), BodyPublishers.ofString("x")).statusCode())
                .as("tampered signature").isEqualTo(403);
        assertThat(http.send("PUT", URI.create(url.replace("/small.txt?", "/other.txt?")), BodyPublishers.ofString("x")).statusCode())
                .as("tampered key").isEqualTo(403);
        assertThat(http.get(put.putUrl()).statusCode()).as("GET on a PUT URL").isEqualTo(403);
        assertThat(staging.size(put.object())).isEmpty();

        S3Staging brief = staging(endpoint, 1);
        StagedPut late = brief.startPut(user, "late.bin");
        assertThat(late.putUrl().getQuery()).contains("X-Amz-Expires=1&");
        // Poll the HEAD URL (signed at the same moment, with the same lifetime) until S3 refuses it.
        Instant deadline = Instant.now().plusSeconds(10);
        while (http.head(late.headUrl()) != 403 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        HttpResponse<String> expired = http.send("PUT", late.putUrl(), BodyPublishers.ofByteArray(new byte[10]));
        assertThat(expired.statusCode()).as(expired.body()).isEqualTo(403);
        assertThat(brief.size(late.object())).isEmpty();
    }

    @Test
    void jobUploadsThroughPrivateUrlsAndTheClientDownloadsThroughThePublicOne() {
        S3Staging staging = staging(endpoint, 3600);
        byte[] data = randomBytes(7 * MIB);

        StagedDownload download = staging.startDownload(user, "/home/" + user + "/results.tar", data.length);

        assertThat(download.partUrls()).hasSize(2);
        assertThat(download.partSize()).isEqualTo(PART_SIZE);
        assertThat(download.object().key()).endsWith("/results.tar");
        assertThat(http.get(download.downloadUrl()).statusCode()).as("before the job completes").isEqualTo(404);
        http.upload(download.partUrls(), download.completeUrl(), data, PART_SIZE);

        HttpResponse<byte[]> fetched = http.get(download.downloadUrl());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(PresignedClient.sha256(fetched.body())).isEqualTo(PresignedClient.sha256(data));
    }

    @Test
    void publicAndPrivateUrlsNameTheirOwnHost() {
        // both names reach the same S3Proxy, so every URL also works
        URI publicEndpoint = URI.create(endpoint.replace("127.0.0.1", "localhost"));
        S3Staging staging = staging(publicEndpoint.toString(), 3600);
        byte[] data = randomBytes(6 * MIB);

        StagedUpload upload = staging.startUpload(user, "in.bin", data.length);
        assertThat(upload.partUrls()).allSatisfy(url -> assertThat(url.getAuthority()).isEqualTo(publicEndpoint.getAuthority()));
        assertThat(upload.completeUrl().getAuthority()).isEqualTo(publicEndpoint.getAuthority());
        assertThat(upload.headUrl().getAuthority()).isEqualTo(URI.create(endpoint).getAuthority());
        assertThat(upload.getUrl().getAuthority()).isEqualTo(URI.create(endpoint).getAuthority());
        http.upload(upload.partUrls(), upload.completeUrl(), data, PART_SIZE);
        assertThat(http.head(upload.headUrl())).isEqualTo(200);
        assertThat(PresignedClient.sha256(http.get(upload.getUrl()).body())).isEqualTo(PresignedClient.sha256(data));

        StagedDownload download = staging.startDownload(user, "out.bin", data.length);
        assertThat(download.partUrls()).allSatisfy(url -> assertThat(url.getAuthority()).isEqualTo(URI.create(endpoint).getAuthority()));
        assertThat(download.completeUrl().getAuthority()).isEqualTo(URI.create(endpoint).getAuthority());
        assertThat(download.downloadUrl().getAuthority()).isEqualTo(publicEndpoint.getAuthority());
        http.upload(download.partUrls(), download.completeUrl(), data, PART_SIZE);
        assertThat(PresignedClient.sha256(http.get(download.downloadUrl()).body())).isEqualTo(PresignedClient.sha256(data));
    }

    @Test
    void abortRemovesTheOpenUpload() {
        S3Staging staging = staging(endpoint, 3600);
        byte[] data = randomBytes(6 * MIB);
        StagedUpload upload = staging.startUpload(user, "abandoned.bin", data.length);
        http.putParts(upload.partUrls().subList(0, 1), data, PART_SIZE);
        assertThat(staging.uploadedBytes(upload.object(), upload.uploadId())).contains(PART_SIZE);

        staging.abort(upload.object(), upload.uploadId());

        assertThat(staging.uploadedBytes(upload.object(), upload.uploadId())).isEmpty();
        assertThat(admin.client.listMultipartUploads(request -> request.bucket(user)).uploads()).isEmpty();
        assertThat(staging.exists(upload.object())).isFalse();
        staging.abort(upload.object(), upload.uploadId());
        // S3Proxy still accepts parts for the aborted upload (and leaves them behind); StagingLifecycleIT
        // checks on radosgw that they are refused.
    }

    @Test
    void aWrongSecretIsStagingUnavailableWithoutSecretsInTheMessage() {
        String secret = "not-the-secret-" + ThreadLocalRandom.current().nextInt(1_000_000);
        S3Staging staging = track(S3Staging.create(admin.transfer(endpoint, PART_SIZE, 3600, 1, secret, Optional.empty())));

        assertThatThrownBy(() -> staging.startUpload(user, "x", 1))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STAGING_UNAVAILABLE);
                    assertThat(ErrorMapper.status(e.code())).isEqualTo(503);
                })
                .hasMessage("Staging area 'test-staging': cannot create bucket '" + user + "': S3 answered 403 SignatureDoesNotMatch")
                .hasMessageNotContaining(secret)
                .hasMessageNotContaining("127.0.0.1");
    }

    @Test
    void anUnreachableServiceIsStagingUnavailable() {
        // a port nothing listens on; the call fails fast (connection refused), retried by the SDK
        String closed = "http://127.0.0.1:" + unusedPort();
        S3Staging staging = track(S3Staging.create(S3Admin.transfer(closed, closed, "a", "b", PART_SIZE, 3600, 1, Optional.empty())));

        assertThatThrownBy(() -> staging.ensureBucket(user))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STAGING_UNAVAILABLE))
                .hasMessageStartingWith("Staging area 'test-staging': cannot create bucket '" + user + "': S3 did not answer (")
                .hasMessageNotContaining(closed);
    }

    @Test
    void aTenantPrefixesTheBucketInPresignedUrlsOnly() {
        S3Staging plain = staging(endpoint, 3600);
        plain.ensureBucket(user);
        S3Staging staging = track(S3Staging.create(admin.transfer(endpoint, PART_SIZE, 3600, 1, admin.service.secretKey(), Optional.of("acme"))));

        StagedUpload upload = staging.startUpload(user, "t.bin", 1);

        assertThat(upload.object().bucket()).isEqualTo(user);
        assertThat(List.of(upload.partUrls().getFirst(), upload.completeUrl(), upload.headUrl(), upload.getUrl()))
                .allSatisfy(url -> assertThat(url.getPath()).isEqualTo("/acme:" + user + "/" + upload.object().key()));
        staging.abort(upload.object(), upload.uploadId());
    }

    @Test
    void invalidRequestsAreRefusedBeforeS3IsAsked() {
        S3Staging staging = staging(endpoint, 3600);

        assertThatThrownBy(() -> staging.startUpload(user, "x", -1))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessage("File size must not be negative, not -1");
        assertThatThrownBy(() -> staging.startUpload(user, "x", 10_001 * PART_SIZE))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FILE_TOO_LARGE))
                .hasMessage("A file of 52434042880 bytes needs 10001 parts of 5242880 bytes; S3 allows at most 10000");
        assertThatThrownBy(() -> staging.startDownload(user, "/home/" + user + "/", 1))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessage("Not a file name: '/home/" + user + "/'");
        assertThat(admin.bucketExists(user)).isFalse();
    }

    private S3Staging staging(String publicUrl, long ttlSeconds) {
        return track(S3Staging.create(admin.transfer(publicUrl, PART_SIZE, ttlSeconds, 1)));
    }

    private S3Staging track(S3Staging staging) {
        stagings.add(staging);
        return staging;
    }

    private String newUser() {
        String name = "t" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        buckets.add(name);
        return name;
    }

    private static byte[] randomBytes(long size) {
        byte[] data = new byte[(int) size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
