package io.goldcrest.storage;

import io.goldcrest.config.ClusterConfig.SchedulerType;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a FirecREST v1 client may choose about an internal transfer's job: its name, the account
 * it is charged to, its time limit and a job it must wait for (v1's {@code stageOutJobId}). The
 * name and the account travel as single {@code sbatch} arguments; the time limit and the dependency
 * become directives after the cluster's own, so they are checked strictly here: a directive line
 * must never carry more than its one option.
 *
 * @param jobName replaces the operation's own job name
 * @param account the scheduler account, given to sbatch as {@code --account} (v1's way; the
 *     {@code {account}} placeholder of the cluster's directives is filled by the request's account either way)
 * @param timeLimit Slurm's {@code M}, {@code M:S}, {@code H:M:S}, {@code D-H}, {@code D-H:M} or {@code D-H:M:S}
 * @param afterJob the job must end successfully before this one starts ({@code afterok})
 */
public record TransferOptions(Optional<String> jobName, Optional<String> account, Optional<String> timeLimit,
                              Optional<String> afterJob) {
    public static final TransferOptions NONE = new TransferOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    private static final Pattern TIME = Pattern.compile("\\d{1,9}(:\\d{1,9}){0,2}|\\d{1,9}-\\d{1,9}(:\\d{1,9}){0,2}");
    private static final Pattern JOB_ID = Pattern.compile("\\d{1,18}");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F]");

    /** @throws GoldcrestException {@code INVALID_PARAMETER} quoting what is not usable */
    public TransferOptions {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(timeLimit, "timeLimit");
        Objects.requireNonNull(afterJob, "afterJob");
        if (jobName.isPresent() && (jobName.get().isEmpty() || CONTROL.matcher(jobName.get()).find())) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "A job name must be one line of text.");
        }
        if (account.isPresent() && (account.get().isEmpty() || CONTROL.matcher(account.get()).find())) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "An account must be one line of text.");
        }
        if (timeLimit.isPresent() && !TIME.matcher(timeLimit.get()).matches()) {
            // FirecREST v1's message, which its clients show
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "Not supported time format");
        }
        if (afterJob.isPresent() && !JOB_ID.matcher(afterJob.get()).matches()) {
            throw new GoldcrestException(ErrorCode.INVALID_PARAMETER, "'" + afterJob.get() + "' is not a job id.");
        }
    }

    /** The directive lines for the time limit and the dependency, in the scheduler's syntax. */
    List<String> directives(SchedulerType scheduler) {
        List<String> lines = new ArrayList<>();
        if (timeLimit.isEmpty() && afterJob.isEmpty()) {
            return lines;
        }
        switch (scheduler) {
            case SLURM -> {
                timeLimit.ifPresent(time -> lines.add("#SBATCH --time=" + time));
                afterJob.ifPresent(job -> lines.add("#SBATCH --dependency=afterok:" + job));
            }
            case PBS -> throw new GoldcrestException(ErrorCode.INVALID_PARAMETER,
                    "A time limit or a dependency for a transfer job is only supported with Slurm.");
        }
        return lines;
    }
}
