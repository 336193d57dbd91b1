package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.AccountingQuery;
import io.goldcrest.scheduler.JobIds;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code scancel --verbose}. scancel exits 0 even when slurmctld refused (another user's job, an
 * unknown or finished one) and says so only in an {@code error:} line, so that line is the failure.
 */
public final class ScancelCommand implements RemoteCommand<String> {
    private static final Pattern ERROR_LINE = Pattern.compile("(?m)^scancel: error:");

    private final String jobId;

    /**
     * @param jobId letters and digits, or an array task or range in Slurm's form ({@code 12_3},
     *     {@code 12_[1-4]}) or a heterogeneous job component ({@code 12+1})
     * @throws IllegalArgumentException when the id is in none of those forms
     */
    public ScancelCommand(String jobId) {
        if (!JobIds.isValid(jobId) && !AccountingQuery.isJobId(jobId)) {
            throw new IllegalArgumentException("invalid job id: '" + jobId + "'");
        }
        this.jobId = jobId;
    }

    @Override
    public List<String> argv() {
        return List.of("scancel", "--verbose", jobId);
    }

    /**
     * @return scancel's own lines ({@code scancel: Terminating job 12})
     * @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} quoting scancel, as FirecREST does
     */
    @Override
    public String parse(CommandResult result) {
        if (!result.succeeded() || ERROR_LINE.matcher(result.stderr()).find()) {
            throw SlurmOutput.unexpectedExit(result);
        }
        return (result.stdout() + result.stderr()).strip();
    }
}
