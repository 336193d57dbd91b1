package io.goldcrest.storage;

import io.goldcrest.config.ClusterConfig.S3Transfer;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AbortIncompleteMultipartUpload;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link Staging} on an S3-compatible service (AWS S3, Ceph radosgw, S3Proxy), as FirecREST v2 does it.
 *
 * <p>Goldcrest itself talks to the <b>private</b> endpoint only (buckets, multipart uploads, listings).
 * URLs are presigned offline (SigV4, valid {@code ttl}) for one of two hosts: the <b>public</b> endpoint for
 * what clients outside the centre use, the private one for what cluster jobs use. Presigned URLs are bearer
 * credentials: they are never logged and never appear in exception messages.
 *
 * <p>Thread-safe: the SDK client and presigners are, and the bucket cache is a concurrent set.
 */
public final class S3Staging implements Staging {
    private static final Logger LOG = LoggerFactory.getLogger(S3Staging.class);

    /** Name of the lifecycle rule Goldcrest puts on buckets, as FirecREST names it. */
    static final String LIFECYCLE_RULE_ID = "ExpireObjects";
    /** S3's limit on the parts of one multipart upload. */
    static final int MAX_PARTS = 10_000;
    /** Prefix of derived bucket names; user names with this prefix are derived too, so names never collide. */
    static final String DERIVED_PREFIX = "goldcrest-";

    // Bounds for every call to the private endpoint: the SDK's defaults include no overall limit.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final S3Transfer transfer;
    private final S3Client client;
    private final S3Presigner publicPresigner;
    private final S3Presigner privatePresigner;
    private final Duration urlLifetime;
    /**
     * Buckets known to exist with their lifecycle handled; never pruned: one short string per user. Two first
     * calls for a bucket may both ask S3, which is harmless (the same rule, put twice).
     */
    private final Set<String> readyBuckets = ConcurrentHashMap.newKeySet();

    private S3Staging(S3Transfer transfer, S3Client client, S3Presigner publicPresigner, S3Presigner privatePresigner) {
        this.transfer = transfer;
        this.client = client;
        this.publicPresigner = publicPresigner;
        this.privatePresigner = privatePresigner;
        this.urlLifetime = Duration.ofSeconds(transfer.ttlSeconds());
    }

    /**
     * Builds the S3 client and the two presigners; nothing is sent until the first call.
     *
     * @throws IllegalArgumentException when {@code private_url} or {@code public_url} is not a URL
     *     (the configuration loader checks both)
     */
    public static S3Staging create(S3Transfer transfer) {
        URI privateEndpoint = URI.create(transfer.privateUrl().reveal());
        URI publicEndpoint = URI.create(transfer.publicUrl());
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                transfer.accessKeyId().reveal(), transfer.secretAccessKey().reveal()));
        Region region = Region.of(transfer.region());
        // Path-style: buckets named after users contain dots, and staging hosts have no wildcard DNS.
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        S3Client client = S3Client.builder()
                .endpointOverride(privateEndpoint)
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .build())
                .overrideConfiguration(override -> override.apiCallTimeout(CALL_TIMEOUT)
                        .addExecutionInterceptor(new NoLocationConstraint()))
                // Ceph radosgw Pacific answers 400 to the SDK's default streaming checksum trailers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        return new S3Staging(transfer, client, presigner(publicEndpoint, region, credentials, pathStyle),
                presigner(privateEndpoint, region, credentials, pathStyle));
    }

    private static S3Presigner presigner(URI endpoint, Region region, StaticCredentialsProvider credentials,
                                         S3Configuration pathStyle) {
        return S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle)
                .build();
    }

    /**
     * The user name itself when it is a valid S3 bucket name (3–63 characters of lowercase letters,
     * digits, '.' and '-', starting and ending with a letter or digit, no "..", not shaped like an IPv4
     * address, none of S3's reserved prefixes and suffixes), as in FirecREST. Otherwise, and for user names
     * starting with {@code goldcrest-}, {@code goldcrest-<first 16 hex digits of SHA-256(user name)>}: stable
     * across restarts and instances, and never equal to another user's own name.
     */
    @Override
    public String bucketFor(String user) {
        if (isPlainBucketName(user)) {
            return user;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return DERIVED_PREFIX + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static boolean isPlainBucketName(String name) {
        return BUCKET_NAME.matcher(name).matches()
                && !name.contains("..")
                && !IP_ADDRESS.matcher(name).matches()
                && !name.startsWith(DERIVED_PREFIX)
                && !name.startsWith("xn--")
                && !name.startsWith("sthree-")
                && !name.endsWith("-s3alias")
                && !name.endsWith("--ol-s3")
                && !name.endsWith(".mrap")
                && !name.endsWith("--x-s3");
    }

    /**
     * Creates the bucket on first use and gives it the lifecycle rule when it has no lifecycle configuration.
     * FirecREST sets the rule only when it created the bucket, but radosgw (like AWS in us-east-1) answers 200,
     * not BucketAlreadyOwnedByYou, to creating a bucket one owns, so "created" cannot be told from "existed".
     * Asking instead also repairs a bucket whose creator failed before setting the rule. An existing
     * configuration is left alone: it may be the operator's, and a changed {@code days} does not rewrite it.
     */
    @Override
    public void ensureBucket(String user) {
        String bucket = bucketFor(user);
        if (readyBuckets.contains(bucket)) {
            return;
        }
        try {
            client.createBucket(request -> request.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // S3Proxy and AWS outside us-east-1: ours already
        } catch (SdkException e) {
            throw failure("create bucket '" + bucket + "'", e);
        }
        if (!hasLifecycle(bucket)) {
            putLifecycle(bucket);
        }
        readyBuckets.add(bucket);
    }

    /** True when the bucket has a lifecycle configuration, or when the server has no lifecycle support. */
    private boolean hasLifecycle(String bucket) {
        try {
            return client.getBucketLifecycleConfiguration(request -> request.bucket(bucket)).hasRules();
        } catch (S3Exception e) {
            if (e.statusCode() == 501) {
                warnNoLifecycle(bucket, e);
                return true;
            }
            if (e.statusCode() == 404) {   // NoSuchLifecycleConfiguration; radosgw leaves the code out
                return false;
            }
            throw failure("read the lifecycle of bucket '" + bucket + "'", e);
        } catch (SdkException e) {
            throw failure("read the lifecycle of bucket '" + bucket + "'", e);
        }
    }

    /**
     * FirecREST's rule (expire every object after {@code days}), plus aborting multipart uploads left
     * incomplete as long: their parts would otherwise stay in the bucket, invisible and never expired.
     */
    private void putLifecycle(String bucket) {
        int days = transfer.lifecycleDays();
        LifecycleRule rule = LifecycleRule.builder()
                .id(LIFECYCLE_RULE_ID)
                .filter(LifecycleRuleFilter.builder().prefix("").build())
                .status(ExpirationStatus.ENABLED)
                .expiration(LifecycleExpiration.builder().days(days).build())
                .abortIncompleteMultipartUpload(AbortIncompleteMultipartUpload.builder().daysAfterInitiation(days).build())
                .build();
        try {
            client.putBucketLifecycleConfiguration(request -> request.bucket(bucket)
                    .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(rule).build()));
        } catch (S3Exception e) {
            if (e.statusCode() != 501) {
                throw failure("set the lifecycle of bucket '" + bucket + "'", e);
            }
            warnNoLifecycle(bucket, e);
        } catch (SdkException e) {
            throw failure("set the lifecycle of bucket '" + bucket + "'", e);
        }
    }

    /** S3Proxy answers 501; logged once per bucket, since the bucket is then cached as ready. */
    private void warnNoLifecycle(String bucket, S3Exception e) {
        LOG.warn("staging {}: the S3 service does not implement bucket lifecycle ({} {}); objects in bucket {} will not expire",
                transfer.name(), e.statusCode(), errorCode(e), bucket);
    }

    /**
     * FirecREST creates buckets without a LocationConstraint; the SDK adds the client's region to every
     * CreateBucket outside us-east-1, which radosgw refuses ("The specified location-constraint is not
     * valid") unless the region names its zonegroup. Runs after the SDK's own interceptors.
     */
    private static final class NoLocationConstraint implements ExecutionInterceptor {
        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof CreateBucketRequest create && create.createBucketConfiguration() != null) {
                return create.toBuilder().createBucketConfiguration((CreateBucketConfiguration) null).build();
            }
            return context.request();
        }
    }

    @Override
    public StagedUpload startUpload(String user, String fileName, long size) {
        int parts = partCount(size);
        StagedObject object = newObject(user, fileName);
        String uploadId = createMultipartUpload(object);
        List<URI> partUrls = partUrls(publicPresigner, object, uploadId, parts);
        URI completeUrl = completeUrl(publicPresigner, object, uploadId);
        return new StagedUpload(object, uploadId, partUrls, completeUrl, headUrl(privatePresigner, object),
                getUrl(privatePresigner, object), transfer.multipart().maxPartSize());
    }

    /** Only the bucket is made sure of; the URLs are signed offline. */
    @Override
    public StagedPut startPut(String user, String fileName) {
        StagedObject object = newObject(user, fileName);
        URI putUrl = url(publicPresigner.presignPutObject(presign -> presign.signatureDuration(urlLifetime)
                .putObjectRequest(PutObjectRequest.builder().bucket(urlBucket(object)).key(object.key()).build())));
        return new StagedPut(object, putUrl, headUrl(privatePresigner, object), getUrl(privatePresigner, object));
    }

    private URI headUrl(S3Presigner presigner, StagedObject object) {
        return url(presigner.presignHeadObject(presign -> presign.signatureDuration(urlLifetime)
                .headObjectRequest(HeadObjectRequest.builder().bucket(urlBucket(object)).key(object.key()).build())));
    }

    private URI getUrl(S3Presigner presigner, StagedObject object) {
        return url(presigner.presignGetObject(presign -> presign.signatureDuration(urlLifetime)
                .getObjectRequest(GetObjectRequest.builder().bucket(urlBucket(object)).key(object.key()).build())));
    }

    @Override
    public StagedDownload startDownload(String user, String fileName, long size) {
        int parts = partCount(size);
        StagedObject object = newObject(user, fileName);
        String uploadId = createMultipartUpload(object);
        List<URI> partUrls = partUrls(privatePresigner, object, uploadId, parts);
        URI completeUrl = completeUrl(privatePresigner, object, uploadId);
        URI downloadUrl = getUrl(publicPresigner, object);
        return new StagedDownload(object, uploadId, partUrls, completeUrl, downloadUrl, transfer.multipart().maxPartSize());
    }

    /** ceil(size / part size), at least 1: an empty file is one empty part. */
    private int partCount(long size) {
        if (size < 0) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "File size must not be negative, not " + size);
        }
        long partSize = transfer.multipart().maxPartSize();
        long parts = Math.max(1, (size + partSize - 1) / partSize);
        if (parts > MAX_PARTS) {
            throw new GoldcrestException(ErrorCode.FILE_TOO_LARGE, "A file of " + size + " bytes needs " + parts
                    + " parts of " + partSize + " bytes; S3 allows at most " + MAX_PARTS);
        }
        return (int) parts;
    }

    /** {@code <uuid4>/<file name>} in the user's bucket (created if needed); only the last path segment is kept. */
    private StagedObject newObject(String user, String fileName) {
        String baseName = fileName.substring(fileName.lastIndexOf('/') + 1);
        if (baseName.isEmpty() || baseName.equals(".") || baseName.equals("..")) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "Not a file name: '" + fileName + "'");
        }
        ensureBucket(user);
        return new StagedObject(bucketFor(user), UUID.randomUUID() + "/" + baseName);
    }

    private String createMultipartUpload(StagedObject object) {
        try {
            return client.createMultipartUpload(request -> request.bucket(object.bucket()).key(object.key())).uploadId();
        } catch (SdkException e) {
            throw failure("start a multipart upload in bucket '" + object.bucket() + "'", e);
        }
    }

    private List<URI> partUrls(S3Presigner presigner, StagedObject object, String uploadId, int parts) {
        List<URI> urls = new ArrayList<>(parts);
        for (int number = 1; number <= parts; number++) {
            UploadPartRequest part = UploadPartRequest.builder().bucket(urlBucket(object)).key(object.key())
                    .uploadId(uploadId).partNumber(number).build();
            urls.add(url(presigner.presignUploadPart(presign -> presign.signatureDuration(urlLifetime).uploadPartRequest(part))));
        }
        return urls;
    }

    /** The part list travels in the POST body, which presigned URLs do not sign. */
    private URI completeUrl(S3Presigner presigner, StagedObject object, String uploadId) {
        CompleteMultipartUploadRequest complete = CompleteMultipartUploadRequest.builder()
                .bucket(urlBucket(object)).key(object.key()).uploadId(uploadId).build();
        return url(presigner.presignCompleteMultipartUpload(presign -> presign.signatureDuration(urlLifetime)
                .completeMultipartUploadRequest(complete)));
    }

    /** With a Ceph tenant, presigned URLs name the bucket {@code <tenant>:<bucket>}, as FirecREST does. */
    private String urlBucket(StagedObject object) {
        return transfer.tenant().map(tenant -> tenant + ":" + object.bucket()).orElse(object.bucket());
    }

    private static URI url(PresignedRequest presigned) {
        return URI.create(presigned.url().toString());
    }

    @Override
    public Optional<Long> uploadedBytes(StagedObject object, String uploadId) {
        try {
            long bytes = 0;
            int parts = 0;
            // paginated: S3 answers at most 1000 parts per ListParts
            for (Part part : client.listPartsPaginator(ListPartsRequest.builder()
                    .bucket(object.bucket()).key(object.key()).uploadId(uploadId).build()).parts()) {
                bytes += part.size();
                parts++;
            }
            // S3Proxy lists no parts, rather than NoSuchUpload, for an upload that is gone
            return parts > 0 || isOpen(object, uploadId) ? Optional.of(bytes) : Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {   // NoSuchUpload; radosgw says NoSuchKey
                return Optional.empty();
            }
            throw failure("list the parts of an upload in bucket '" + object.bucket() + "'", e);
        } catch (SdkException e) {
            throw failure("list the parts of an upload in bucket '" + object.bucket() + "'", e);
        }
    }

    /** Whether ListMultipartUploads still shows the upload; keys are unique, so the prefix lists just it. */
    private boolean isOpen(StagedObject object, String uploadId) {
        return client.listMultipartUploadsPaginator(request -> request.bucket(object.bucket()).prefix(object.key()))
                .uploads().stream()
                .anyMatch(upload -> upload.uploadId().equals(uploadId) && upload.key().equals(object.key()));
    }

    @Override
    public void probe() {
        try {
            client.listBuckets();
        } catch (SdkException e) {
            throw failure("list buckets", e);
        }
    }

    @Override
    public Optional<Long> size(StagedObject object) {
        try {
            return Optional.of(client.headObject(request -> request.bucket(object.bucket()).key(object.key())).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {   // HEAD answers have no body, so often no error code either
                return Optional.empty();
            }
            throw failure("look up an object in bucket '" + object.bucket() + "'", e);
        } catch (SdkException e) {
            throw failure("look up an object in bucket '" + object.bucket() + "'", e);
        }
    }

    @Override
    public void abort(StagedObject object, String uploadId) {
        try {
            client.abortMultipartUpload(request -> request.bucket(object.bucket()).key(object.key()).uploadId(uploadId));
        } catch (S3Exception e) {
            // NoSuchUpload: completed, aborted before, or ended by the lifecycle rule
            if (e.statusCode() != 404) {
                throw failure("abort an upload in bucket '" + object.bucket() + "'", e);
            }
        } catch (SdkException e) {
            throw failure("abort an upload in bucket '" + object.bucket() + "'", e);
        }
    }

    @Override
    public void delete(StagedObject object) {
        try {
            client.deleteObject(request -> request.bucket(object.bucket()).key(object.key()));
        } catch (NoSuchKeyException e) {
            // S3 answers 204 for a missing key; some compatible servers answer 404
        } catch (SdkException e) {
            throw failure("delete an object in bucket '" + object.bucket() + "'", e);
        }
    }

    @Override
    public void close() {
        client.close();
        publicPresigner.close();
        privatePresigner.close();
    }

    /**
     * The message names the operation and S3's error code; the endpoint (a secret in the config) and the
     * SDK's own message stay in the chained cause, for the log.
     */
    private GoldcrestException failure(String operation, SdkException e) {
        String reason = e instanceof S3Exception s3
                ? "S3 answered " + s3.statusCode() + " " + errorCode(s3)
                : "S3 did not answer (" + e.getClass().getSimpleName() + ")";
        return new GoldcrestException(ErrorCode.STAGING_UNAVAILABLE,
                "Staging area '" + transfer.name() + "': cannot " + operation + ": " + reason, e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null || e.awsErrorDetails().errorCode().isBlank()
                ? "(no error code)" : e.awsErrorDetails().errorCode();
    }
}
