package io.goldcrest.storage;

import java.util.Optional;

/**
 * The S3-compatible staging area of one cluster ({@code data_operation.data_transfer} with
 * {@code service_type: s3}). Goldcrest holds the S3 credentials; clients and cluster jobs only ever
 * get presigned URLs, each for one object and one method, valid for the configured {@code ttl}.
 *
 * <p>Every method throws {@link io.goldcrest.error.GoldcrestException} with {@code STAGING_UNAVAILABLE}
 * when S3 refuses or does not answer.
 */
public interface Staging extends AutoCloseable {
    /**
     * The user's bucket name: the user name when it is a valid S3 bucket name (as FirecREST does),
     * otherwise a stable name derived from it.
     */
    String bucketFor(String user);

    /**
     * Creates the user's bucket if it does not exist, with the lifecycle rule that expires objects
     * after {@code bucket_lifecycle_configuration.days} (a server that does not implement lifecycle
     * rules is logged once and tolerated). Cached: S3 is asked once per bucket per process.
     */
    void ensureBucket(String user);

    /** Opens a multipart upload of {@code size} bytes for a client (external → cluster). */
    StagedUpload startUpload(String user, String fileName, long size);

    /**
     * Reserves an object for a client to upload in a single PUT (external → cluster), FirecREST v1's
     * way: nothing is created in S3 until the client sends the file. S3 takes up to 5 GiB in one PUT.
     */
    StagedPut startPut(String user, String fileName);

    /** Opens a multipart upload of {@code size} bytes for a cluster job (cluster → external). */
    StagedDownload startDownload(String user, String fileName, long size);

    /** Bytes the client has uploaded so far into an open multipart upload (ListParts), if it is still open. */
    Optional<Long> uploadedBytes(StagedObject object, String uploadId);

    /** The object's size in bytes, when it exists (its upload was completed). */
    Optional<Long> size(StagedObject object);

    /** Whether the object exists (its upload was completed). */
    default boolean exists(StagedObject object) {
        return size(object).isPresent();
    }

    /** Aborts an open multipart upload; no error when it is already completed or gone. */
    void abort(StagedObject object, String uploadId);

    /** Checks that S3 answers with these credentials (the health probe): one ListBuckets. */
    void probe();

    /** Deletes the object; no error when it is gone. */
    void delete(StagedObject object);

    @Override
    void close();
}
