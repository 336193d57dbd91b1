package io.goldcrest.storage;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A multipart upload opened in the user's staging bucket for a client to fill (external → cluster).
 *
 * @param partUrls presigned UploadPart URLs, parts 1…N, signed for the <b>public</b> endpoint
 * @param completeUrl presigned CompleteMultipartUpload (POST), public endpoint
 * @param headUrl presigned HEAD of the object, <b>private</b> endpoint (the cluster job polls it)
 * @param getUrl presigned GET of the object, private endpoint (the cluster job downloads it)
 * @param partSize bytes in every part but the last
 */
public record StagedUpload(StagedObject object, String uploadId, List<URI> partUrls, URI completeUrl,
                           URI headUrl, URI getUrl, long partSize) {
    public StagedUpload {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(uploadId, "uploadId");
        partUrls = List.copyOf(partUrls);
        Objects.requireNonNull(completeUrl, "completeUrl");
        Objects.requireNonNull(headUrl, "headUrl");
        Objects.requireNonNull(getUrl, "getUrl");
    }
}
