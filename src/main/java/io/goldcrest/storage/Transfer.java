package io.goldcrest.storage;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A submitted transfer job and the task that follows it.
 *
 * @param upload the client's part and complete URLs of an upload
 * @param downloadUrl where the client fetches a download once the job has finished
 */
public record Transfer(String jobId, String system, String workingDirectory, String outputLog, String errorLog,
                       String taskId, Optional<StagedUpload> upload, Optional<URI> downloadUrl) {
    public Transfer {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(outputLog, "outputLog");
        Objects.requireNonNull(errorLog, "errorLog");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(downloadUrl, "downloadUrl");
    }
}
