package io.goldcrest.storage;

import java.net.URI;
import java.util.Objects;

/**
 * An object reserved in the user's staging bucket for a client to upload in one PUT (external →
 * cluster), as FirecREST v1 clients do: no multipart upload is opened, so there is nothing to
 * abort, only the object to delete once the job has it.
 *
 * @param putUrl presigned PUT of the object, signed for the <b>public</b> endpoint (given to the client)
 * @param headUrl presigned HEAD of the object, <b>private</b> endpoint (the cluster job polls it)
 * @param getUrl presigned GET of the object, private endpoint (the cluster job downloads it)
 */
public record StagedPut(StagedObject object, URI putUrl, URI headUrl, URI getUrl) {
    public StagedPut {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(putUrl, "putUrl");
        Objects.requireNonNull(headUrl, "headUrl");
        Objects.requireNonNull(getUrl, "getUrl");
    }
}
