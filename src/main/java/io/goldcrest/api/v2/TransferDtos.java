package io.goldcrest.api.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.goldcrest.storage.Transfer;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The v2 transfer responses: FirecREST's {@code transferJob} and {@code transferDirectives}, plus {@code taskId}. */
final class TransferDtos {
    private TransferDtos() {}

    record Logs(String outputLog, String errorLog) {}

    record TransferJobDto(String jobId, String system, String workingDirectory, Logs logs) {}

    /** FirecREST omits the fields a method does not use. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Directives(String transferMethod, List<String> partsUploadUrls, String completeUploadUrl, Long maxPartSize,
                      String downloadUrl) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Response(TransferJobDto transferJob, Directives transferDirectives, String taskId) {}

    static Response response(Transfer transfer, Optional<Directives> directives) {
        return new Response(new TransferJobDto(transfer.jobId(), transfer.system(), transfer.workingDirectory(),
                new Logs(transfer.outputLog(), transfer.errorLog())), directives.orElse(null), transfer.taskId());
    }

    static Directives uploadDirectives(Transfer transfer) {
        var upload = transfer.upload().orElseThrow();
        return new Directives("s3", upload.partUrls().stream().map(URI::toString).toList(), upload.completeUrl().toString(),
                upload.partSize(), null);
    }

    static Directives downloadDirectives(Transfer transfer) {
        return new Directives("s3", null, null, null, transfer.downloadUrl().orElseThrow().toString());
    }
}
