package io.goldcrest.storage;

import io.goldcrest.LocalServices.S3Service;
import io.goldcrest.config.ClusterConfig.Multipart;
import io.goldcrest.config.ClusterConfig.S3Transfer;
import io.goldcrest.config.Secret;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The test's own S3 client on a local service: inspects buckets and removes what a test created. */
final class S3Admin implements AutoCloseable {
    static final String REGION = "us-east-1";

    final S3Service service;
    final S3Client client;

    S3Admin(S3Service service) {
        this.service = service;
        this.client = S3Client.builder()
                .endpointOverride(service.endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(service.accessKey(), service.secretKey())))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** A staging configuration on this service: private and public URL, part size, URL lifetime, lifecycle days. */
    S3Transfer transfer(String publicUrl, long partSize, long ttlSeconds, int lifecycleDays) {
        return transfer(publicUrl, partSize, ttlSeconds, lifecycleDays, service.secretKey(), Optional.empty());
    }

    S3Transfer transfer(String publicUrl, long partSize, long ttlSeconds, int lifecycleDays, String secretKey,
                        Optional<String> tenant) {
        return transfer(service.endpoint().toString(), publicUrl, service.accessKey(), secretKey, partSize, ttlSeconds,
                lifecycleDays, tenant);
    }

    static S3Transfer transfer(String privateUrl, String publicUrl, String accessKey, String secretKey, long partSize,
                               long ttlSeconds, int lifecycleDays, Optional<String> tenant) {
        return new S3Transfer("test-staging", new Secret(privateUrl), publicUrl, new Secret(accessKey), new Secret(secretKey),
                REGION, ttlSeconds, tenant, new Multipart(false, partSize, 3, "tmp"), lifecycleDays);
    }

    boolean bucketExists(String bucket) {
        try {
            client.headBucket(request -> request.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        }
    }

    /** Aborts open uploads, deletes every object, then the bucket; no error when it is gone. */
    void deleteBucket(String bucket) {
        try {
            for (MultipartUpload upload : client.listMultipartUploadsPaginator(request -> request.bucket(bucket)).uploads()) {
                client.abortMultipartUpload(request -> request.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
            }
            for (S3Object object : client.listObjectsV2Paginator(request -> request.bucket(bucket)).contents()) {
                client.deleteObject(request -> request.bucket(bucket).key(object.key()));
            }
            client.deleteBucket(request -> request.bucket(bucket));
        } catch (NoSuchBucketException e) {
            // never created, or already removed
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
