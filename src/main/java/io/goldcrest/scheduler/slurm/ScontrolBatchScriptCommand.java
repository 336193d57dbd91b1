package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.JobIds;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;
import java.util.Optional;

/**
 * {@code scontrol write batch_script ID -}: the script a job was submitted with. For another
 * user's job slurmctld refuses ({@code job script retrieval failed: Invalid user id}) yet scontrol
 * exits 0, so that message, not the exit status, says there is no script to show.
 */
public final class ScontrolBatchScriptCommand implements RemoteCommand<Optional<String>> {
    private static final String REFUSED = "job script retrieval failed";

    private final String jobId;

    /** @throws IllegalArgumentException when the id is not letters and digits */
    public ScontrolBatchScriptCommand(String jobId) {
        this.jobId = JobIds.require(jobId);
    }

    @Override
    public List<String> argv() {
        return List.of("scontrol", "write", "batch_script", jobId, "-");
    }

    @Override
    public Optional<String> parse(CommandResult result) {
        if (result.stderr().contains(REFUSED) || result.stderr().contains("Invalid job id specified")) {
            return Optional.empty();
        }
        if (!result.succeeded()) {
            throw SlurmOutput.unexpectedExit(result);
        }
        return Optional.of(result.stdout());
    }
}
