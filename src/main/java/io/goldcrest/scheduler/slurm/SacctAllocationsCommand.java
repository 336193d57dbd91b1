package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.AccountedJob;
import io.goldcrest.scheduler.AccountingQuery;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code sacct --allocations}: job allocations between two times (the user's own: sacct's default
 * user is the caller) or with given ids (any user's that Slurm shows the caller, as with
 * FirecREST v1). Text, not {@code --json}, for the reasons in {@link SacctCommand}; times as epoch
 * seconds, durations as raw seconds.
 */
public final class SacctAllocationsCommand implements RemoteCommand<List<AccountedJob>> {
    private static final List<String> FIELDS = List.of("JobID", "Partition", "JobName", "User", "State", "Start", "End",
            "ElapsedRaw", "CPUTimeRAW", "NNodes", "NodeList", "ExitCode");

    private final AccountingQuery query;

    public SacctAllocationsCommand(AccountingQuery query) {
        this.query = query;
    }

    @Override
    public List<String> argv() {
        List<String> selection = new ArrayList<>();
        query.startTime().ifPresent(time -> selection.add("--starttime=" + time));
        query.endTime().ifPresent(time -> selection.add("--endtime=" + time));
        if (!query.jobIds().isEmpty()) {
            selection.add("--jobs=" + String.join(",", query.jobIds()));
        }
        return Stream.of(List.of("env", "SLURM_TIME_FORMAT=%s", "sacct", "--allocations"), selection,
                List.of("--parsable", "--noheader", "--delimiter=" + SlurmJobFields.SEPARATOR,
                        "--format=" + String.join(",", FIELDS))).flatMap(List::stream).toList();
    }

    /** @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} quoting sacct when it failed */
    @Override
    public List<AccountedJob> parse(CommandResult result) {
        if (SlurmOutput.failedForUnknownJob(result)) {
            return List.of();
        }
        List<AccountedJob> jobs = new ArrayList<>();
        for (String line : SlurmOutput.lines(result.stdout())) {
            SlurmJobFields.split(line, FIELDS.size()).map(SacctAllocationsCommand::job).ifPresent(jobs::add);
        }
        return List.copyOf(jobs);
    }

    private static AccountedJob job(List<String> field) {
        Optional<SlurmJobFields.ExitCode> exit = SlurmJobFields.exitCode(field.get(11));
        return new AccountedJob(field.get(0).strip(), field.get(1).strip(), field.get(2), field.get(3).strip(),
                field.get(4).strip(), SlurmJobFields.epoch(field.get(5)), SlurmJobFields.epoch(field.get(6)),
                SlurmOutput.optionalLong(field.get(7)), SlurmOutput.optionalLong(field.get(8)),
                SlurmOutput.optionalInt(field.get(9)).orElse(0), field.get(10).strip(),
                exit.map(SlurmJobFields.ExitCode::code), exit.map(SlurmJobFields.ExitCode::signal));
    }
}
