package io.goldcrest.storage;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A multipart upload opened in the user's staging bucket for a cluster job to fill (cluster → external).
 *
 * @param partUrls presigned UploadPart URLs, parts 1…N, <b>private</b> endpoint (used by the job)
 * @param completeUrl presigned CompleteMultipartUpload (POST), private endpoint
 * @param downloadUrl presigned GET of the finished object, <b>public</b> endpoint (given to the client)
 * @param partSize bytes in every part but the last
 */
public record StagedDownload(StagedObject object, String uploadId, List<URI> partUrls, URI completeUrl,
                             URI downloadUrl, long partSize) {
    public StagedDownload {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(uploadId, "uploadId");
        partUrls = List.copyOf(partUrls);
        Objects.requireNonNull(completeUrl, "completeUrl");
        Objects.requireNonNull(downloadUrl, "downloadUrl");
    }
}
