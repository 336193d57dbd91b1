package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.JobIds;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;
import java.util.Optional;

/**
 * {@code scontrol write batch_script ID -}: the script a job was submitted with. scontrol exits 0
 * whatever slurmctld answers and says what went wrong only in {@code job script retrieval failed:
 * <reason>}: for another user's job ({@code Invalid user id}) or one it no longer holds there is no
 * script to show; any other reason ({@code Unable to contact slurm controller}) is a failure.
 */
public final class ScontrolBatchScriptCommand implements RemoteCommand<Optional<String>> {
    private static final String RETRIEVAL_FAILED = "job script retrieval failed";
    private static final List<String> NO_SCRIPT = List.of("Invalid user id", "Access/permission denied",
            "Invalid job id specified");

    private final String jobId;

    /** @throws IllegalArgumentException when the id is not letters and digits */
    public ScontrolBatchScriptCommand(String jobId) {
        this.jobId = JobIds.require(jobId);
    }

    @Override
    public List<String> argv() {
        return List.of("scontrol", "write", "batch_script", jobId, "-");
    }

    /** @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} when slurmctld could not answer */
    @Override
    public Optional<String> parse(CommandResult result) {
        String stderr = result.stderr();
        if (NO_SCRIPT.stream().anyMatch(stderr::contains)) {
            return Optional.empty();
        }
        if (!result.succeeded() || stderr.contains(RETRIEVAL_FAILED)) {
            throw SlurmOutput.unexpectedExit(result);
        }
        return Optional.of(result.stdout());
    }
}
