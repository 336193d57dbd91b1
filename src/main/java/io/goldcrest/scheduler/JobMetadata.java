package io.goldcrest.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * What a job was submitted with.
 *
 * @param script the batch script; empty when the scheduler does not show it to this user
 */
public record JobMetadata(String jobId, Optional<String> script, Optional<String> standardInput,
                          Optional<String> standardOutput, Optional<String> standardError) {
    public JobMetadata {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(standardInput, "standardInput");
        Objects.requireNonNull(standardOutput, "standardOutput");
        Objects.requireNonNull(standardError, "standardError");
    }
}
