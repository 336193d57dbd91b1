package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobIds;
import io.goldcrest.scheduler.JobQuery;
import io.goldcrest.scheduler.JobTime;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code squeue} in text form: the jobs slurmctld holds (queued, running, completing). Text, not
 * {@code --json}, because 22.05's JSON ignores every filter. {@code JobID} is the unique id, so
 * each started array task has its own; {@code JobArrayID} ({@code 18_3}, {@code 18_[4-9]}) names
 * the array. {@code --all} includes jobs in hidden partitions.
 */
public final class SqueueCommand implements RemoteCommand<List<Job>> {
    private static final List<String> FIELDS = List.of("JobID", "JobArrayID", "NumNodes", "Cluster", "GroupName",
            "Account", "Name", "NodeList", "Partition", "PriorityLong", "State", "Reason", "TimeUsed", "StartTime",
            "EndTime", "TimeLimit", "UserName", "WorkDir");
    // Each field carries the separator as its suffix: a field without one is padded to 20 characters.
    private static final String FORMAT = FIELDS.stream().map(field -> field + ":" + SlurmJobFields.SEPARATOR)
            .collect(Collectors.joining(","));

    private final List<String> filters;

    private SqueueCommand(List<String> filters) {
        this.filters = List.copyOf(filters);
    }

    /** The user's jobs (or everyone's), narrowed by account and name; Slurm reads both as lists, so callers match exactly afterwards. */
    public static SqueueCommand of(String user, JobQuery query) {
        List<String> filters = new ArrayList<>();
        if (!query.allUsers()) {
            filters.add("--user=" + SlurmUserName.require(user));
        }
        SlurmJobFields.listFilter("--account=", query.account()).ifPresent(filters::add);
        SlurmJobFields.listFilter("--name=", query.name()).ifPresent(filters::add);
        return new SqueueCommand(filters);
    }

    /** @throws IllegalArgumentException when the id is not letters and digits */
    public static SqueueCommand ofJob(String jobId) {
        return new SqueueCommand(List.of("--jobs=" + JobIds.require(jobId)));
    }

    /** Queued and running jobs with one of these ids; ids slurmctld no longer holds are left out. */
    public static SqueueCommand ofJobs(Collection<String> jobIds) {
        return new SqueueCommand(List.of("--jobs=" + String.join(",", jobIds.stream().map(JobIds::require).toList())));
    }

    @Override
    public List<String> argv() {
        return Stream.of(List.of("env", "SLURM_TIME_FORMAT=%s", "squeue", "--all", "--noheader"), filters,
                List.of("--Format=" + FORMAT)).flatMap(List::stream).toList();
    }

    /** A job id slurmctld no longer holds is an empty answer, not a failure. */
    @Override
    public List<Job> parse(CommandResult result) {
        if (SlurmOutput.failedForUnknownJob(result)) {
            return List.of();
        }
        List<Job> jobs = new ArrayList<>();
        for (String line : SlurmOutput.lines(result.stdout())) {
            SlurmJobFields.split(line, FIELDS.size()).map(SqueueCommand::job).ifPresent(jobs::add);
        }
        return List.copyOf(jobs);
    }

    private static Job job(List<String> field) {
        Optional<SlurmJobFields.ArrayId> array = SlurmJobFields.arrayId(field.get(1));
        JobTime time = new JobTime(SlurmJobFields.duration(field.get(12)), SlurmJobFields.epoch(field.get(13)),
                SlurmJobFields.epoch(field.get(14)), Optional.empty(), SlurmJobFields.duration(field.get(15)));
        return new Job(field.get(0).strip(), array.map(SlurmJobFields.ArrayId::arrayJobId),
                array.map(SlurmJobFields.ArrayId::taskId), field.get(6),
                SlurmJobFields.status(field.get(10), SlurmJobFields.text(field.get(11)), ""), List.of(), time,
                SlurmJobFields.text(field.get(5)), SlurmOutput.optionalInt(field.get(2)).orElse(0), field.get(3).strip(),
                SlurmJobFields.text(field.get(4)), field.get(7).strip(), field.get(8).strip(), Optional.empty(),
                SlurmJobFields.text(field.get(16)), field.get(17), SlurmOutput.optionalLong(field.get(9)));
    }
}
