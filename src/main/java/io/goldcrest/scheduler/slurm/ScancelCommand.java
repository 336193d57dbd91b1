package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.JobIds;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code scancel --verbose}. scancel exits 0 even when slurmctld refused (another user's job, an
 * unknown or finished one) and says so only in an {@code error:} line, so that line is the failure.
 */
public final class ScancelCommand implements RemoteCommand<Void> {
    private static final Pattern ERROR_LINE = Pattern.compile("(?m)^scancel: error:");

    private final String jobId;

    /** @throws IllegalArgumentException when the id is not letters and digits */
    public ScancelCommand(String jobId) {
        this.jobId = JobIds.require(jobId);
    }

    @Override
    public List<String> argv() {
        return List.of("scancel", "--verbose", jobId);
    }

    /** @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} quoting scancel, as FirecREST does */
    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded() || ERROR_LINE.matcher(result.stderr()).find()) {
            throw SlurmOutput.unexpectedExit(result);
        }
        return null;
    }
}
