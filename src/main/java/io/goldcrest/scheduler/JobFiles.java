package io.goldcrest.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * The files of a job as the scheduler holds them while it knows the job: where its batch script
 * was read from and where its standard streams go, with patterns such as {@code %j} expanded.
 *
 * @param scriptPath empty when the script came on standard input
 */
public record JobFiles(String jobId, Optional<String> scriptPath, Optional<String> standardOutput,
                       Optional<String> standardError) {
    public JobFiles {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(scriptPath, "scriptPath");
        Objects.requireNonNull(standardOutput, "standardOutput");
        Objects.requireNonNull(standardError, "standardError");
    }
}
