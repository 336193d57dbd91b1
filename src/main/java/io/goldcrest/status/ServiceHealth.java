package io.goldcrest.status;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One probe's latest result.
 *
 * @param latencySeconds how long the probe took
 * @param path the probed file system, for {@code FILESYSTEM} results only
 */
public record ServiceHealth(ServiceType serviceType, Instant lastChecked, double latencySeconds, boolean healthy,
                            Optional<String> message, Optional<String> path) {
    public ServiceHealth {
        Objects.requireNonNull(serviceType, "serviceType");
        Objects.requireNonNull(lastChecked, "lastChecked");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(path, "path");
    }

    public enum ServiceType { SCHEDULER, SSH, FILESYSTEM, S3, EXCEPTION }
}
