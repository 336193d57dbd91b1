package io.goldcrest.storage;

import java.util.Objects;

/** An object in a staging bucket: {@code <bucket>/<uuid>/<file name>}. */
public record StagedObject(String bucket, String key) {
    public StagedObject {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }
}
