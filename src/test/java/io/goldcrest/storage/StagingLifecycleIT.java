package io.goldcrest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.LocalServices;
import io.goldcrest.config.ClusterConfig.S3Transfer;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;

/**
 * {@link S3Staging} on Ceph radosgw, for what S3Proxy does not do: lifecycle rules are stored and enforced
 * (scripts/radosgw.sh makes one lifecycle "day" last 10 s), buckets are created without a LocationConstraint
 * whatever the region, parts for an aborted upload are refused, and Ceph tenants exist.
 */
class StagingLifecycleIT {
    private static final long PART_SIZE = 5L * 1024 * 1024;
    /** Expiry takes one "day" (10 s) plus up to one lifecycle pass (another 10 s) plus the pass itself. */
    private static final Duration EXPIRY_LIMIT = Duration.ofSeconds(90);

    private final S3Admin admin = new S3Admin(LocalServices.radosgw());
    private final PresignedClient http = new PresignedClient();
    private final List<S3Staging> stagings = new ArrayList<>();
    private final List<String> buckets = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        stagings.forEach(S3Staging::close);
        buckets.forEach(admin::deleteBucket);
        admin.close();
    }

    @Test
    void stagedObjectsExpireAfterTheConfiguredDays() throws InterruptedException {
        S3Staging staging = staging(S3Admin.REGION);
        String user = newUser();
        staging.ensureBucket(user);

        List<LifecycleRule> rules = admin.client.getBucketLifecycleConfiguration(request -> request.bucket(user)).rules();
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule.id()).isEqualTo("ExpireObjects");
            assertThat(rule.status()).isEqualTo(ExpirationStatus.ENABLED);
            assertThat(rule.expiration().days()).isEqualTo(1);
            assertThat(rule.abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(1);
            // radosgw answers with the pre-2018 top-level Prefix instead of a Filter
            assertThat(rule.filter() == null || rule.filter().prefix() == null ? rule.prefix() : rule.filter().prefix()).isEmpty();
        });

        byte[] data = "staged for a short while\n".getBytes();
        StagedUpload upload = staging.startUpload(user, "short-lived.txt", data.length);
        http.upload(upload.partUrls(), upload.completeUrl(), data, PART_SIZE);
        assertThat(staging.exists(upload.object())).isTrue();
        assertThat(http.head(upload.headUrl())).isEqualTo(200);

        Instant deadline = Instant.now().plus(EXPIRY_LIMIT);
        while (staging.exists(upload.object()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertThat(staging.exists(upload.object())).as("expired within %s", EXPIRY_LIMIT).isFalse();
        assertThat(http.head(upload.headUrl())).isEqualTo(404);
    }

    @Test
    void anExistingBucketWithoutLifecycleGetsTheRuleAndAnOperatorsRuleIsKept() {
        S3Staging staging = staging(S3Admin.REGION);
        String bare = newUser();
        admin.client.createBucket(request -> request.bucket(bare));
        String managed = newUser();
        admin.client.createBucket(request -> request.bucket(managed));
        LifecycleRule operators = LifecycleRule.builder().id("operator").status(ExpirationStatus.ENABLED)
                .filter(LifecycleRuleFilter.builder().prefix("archive/").build())
                .expiration(LifecycleExpiration.builder().days(30).build()).build();
        admin.client.putBucketLifecycleConfiguration(request -> request.bucket(managed)
                .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(operators).build()));

        staging.ensureBucket(bare);
        staging.ensureBucket(managed);

        assertThat(admin.client.getBucketLifecycleConfiguration(request -> request.bucket(bare)).rules())
                .extracting(LifecycleRule::id).containsExactly("ExpireObjects");
        assertThat(admin.client.getBucketLifecycleConfiguration(request -> request.bucket(managed)).rules())
                .extracting(LifecycleRule::id).containsExactly("operator");
    }

    @Test
    void anyRegionCreatesBucketsAsFirecrestDoes() {
        // with a LocationConstraint of eu-central-1, radosgw would answer 400 InvalidLocationConstraint
        S3Staging staging = staging("eu-central-1");
        String user = newUser();
        byte[] data = "signed for eu-central-1\n".getBytes();

        StagedUpload upload = staging.startUpload(user, "region.txt", data.length);
        http.upload(upload.partUrls(), upload.completeUrl(), data, PART_SIZE);

        assertThat(upload.partUrls().getFirst().getQuery()).contains("/eu-central-1/s3/aws4_request");
        assertThat(http.get(upload.getUrl()).body()).isEqualTo(data);
    }

    @Test
    void anAbortedUploadRefusesFurtherParts() {
        S3Staging staging = staging(S3Admin.REGION);
        String user = newUser();
        StagedUpload upload = staging.startUpload(user, "abandoned.bin", 2 * PART_SIZE);
        http.putParts(upload.partUrls().subList(0, 1), new byte[(int) PART_SIZE], PART_SIZE);
        assertThat(staging.uploadedBytes(upload.object(), upload.uploadId())).contains(PART_SIZE);

        staging.abort(upload.object(), upload.uploadId());

        assertThat(staging.uploadedBytes(upload.object(), upload.uploadId())).isEmpty();
        HttpResponse<String> late = http.send("PUT", upload.partUrls().get(1), BodyPublishers.ofByteArray(new byte[10]));
        assertThat(late.statusCode()).as(late.body()).isEqualTo(404);
        assertThat(late.body()).contains("NoSuchUpload");
        staging.abort(upload.object(), upload.uploadId());
    }

    @Test
    void aTenantUserWorksThroughTenantQualifiedUrls() {
        // scripts/radosgw.sh creates this user in the Ceph tenant 'goldcrest'
        LocalServices.S3Service service = admin.service;
        String endpoint = service.endpoint().toString();
        S3Staging staging = S3Staging.create(S3Admin.transfer(endpoint, endpoint, service.accessKey() + "-tenant",
                service.secretKey(), PART_SIZE, 3600, 1, Optional.of("goldcrest")));
        stagings.add(staging);
        String user = "t" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        byte[] data = "in a tenant's bucket\n".getBytes();

        try (S3Admin tenantAdmin = new S3Admin(new LocalServices.S3Service(service.endpoint(), service.accessKey() + "-tenant",
                service.secretKey()))) {
            try {
                StagedUpload upload = staging.startUpload(user, "tenant.txt", data.length);
                http.upload(upload.partUrls(), upload.completeUrl(), data, PART_SIZE);

                assertThat(upload.getUrl().getRawPath()).startsWith("/goldcrest%3A" + user + "/");
                assertThat(http.get(upload.getUrl()).body()).isEqualTo(data);
                assertThat(tenantAdmin.bucketExists(user)).isTrue();
                assertThat(admin.bucketExists(user)).as("not in the default tenant").isFalse();
            } finally {
                tenantAdmin.deleteBucket(user);
            }
        }
    }

    private S3Staging staging(String region) {
        S3Transfer base = admin.transfer(admin.service.endpoint().toString(), PART_SIZE, 3600, 1);
        S3Transfer transfer = new S3Transfer(base.name(), base.privateUrl(), base.publicUrl(), base.accessKeyId(),
                base.secretAccessKey(), region, base.ttlSeconds(), Optional.empty(), base.multipart(), base.lifecycleDays());
        S3Staging staging = S3Staging.create(transfer);
        stagings.add(staging);
        return staging;
    }

    private String newUser() {
        String name = "t" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        buckets.add(name);
        return name;
    }
}
