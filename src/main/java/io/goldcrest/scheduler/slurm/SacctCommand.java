package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobIds;
import io.goldcrest.scheduler.JobQuery;
import io.goldcrest.scheduler.JobStatus;
import io.goldcrest.scheduler.JobStep;
import io.goldcrest.scheduler.JobTime;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code sacct} in text form: jobs known to accounting, with their steps and exit codes. Text, not
 * {@code --json}: 22.05's JSON reports exit code 0 for a job that exited 3 and ignores {@code -u}.
 * Jobs are keyed by {@code JobIDRaw}, the unique id squeue also prints; {@code JobID} gives the
 * array form. {@code --parsable} ends every line with the separator, so a cut line is seen.
 */
public final class SacctCommand implements RemoteCommand<List<Job>> {
    private static final List<String> FIELDS = List.of("JobIDRaw", "JobID", "AllocNodes", "Cluster", "ExitCode", "Group",
            "Account", "JobName", "NodeList", "Partition", "Priority", "State", "Reason", "ElapsedRaw", "Start", "End",
            "Suspended", "TimelimitRaw", "User", "UID", "WorkDir");

    private final List<String> selection;

    private SacctCommand(List<String> selection) {
        this.selection = List.copyOf(selection);
    }

    /** Jobs that were queued or running at some time within the window (sacct's own user by default). */
    public static SacctCommand of(JobQuery query) {
        List<String> selection = new ArrayList<>();
        if (query.allUsers()) {
            selection.add("--allusers");
        }
        SlurmJobFields.listFilter("--account=", query.account()).ifPresent(selection::add);
        SlurmJobFields.listFilter("--name=", query.name()).ifPresent(selection::add);
        selection.add("--starttime=now-" + query.window().length().toHours() + "hours");
        return new SacctCommand(selection);
    }

    /**
     * Every user's jobs with this id, at any time (with {@code --jobs} sacct has no start-time default).
     *
     * @throws IllegalArgumentException when the id is not letters and digits
     */
    public static SacctCommand ofJob(String jobId) {
        return new SacctCommand(List.of("--allusers", "--jobs=" + JobIds.require(jobId)));
    }

    /** Every user's jobs with one of these ids, in one call (the task watcher's batch lookup). */
    public static SacctCommand ofJobs(Collection<String> jobIds) {
        return new SacctCommand(List.of("--allusers", "--jobs=" + String.join(",", jobIds.stream().map(JobIds::require).toList())));
    }

    @Override
    public List<String> argv() {
        return Stream.of(List.of("env", "SLURM_TIME_FORMAT=%s", "sacct"), selection,
                List.of("--parsable", "--noheader", "--delimiter=" + SlurmJobFields.SEPARATOR,
                        "--format=" + String.join(",", FIELDS))).flatMap(List::stream).toList();
    }

    @Override
    public List<Job> parse(CommandResult result) {
        if (SlurmOutput.failedForUnknownJob(result)) {
            return List.of();
        }
        Map<String, Job> jobs = new LinkedHashMap<>();
        Map<String, List<JobStep>> steps = new HashMap<>();
        Map<String, String> userByUid = new HashMap<>();
        for (String line : SlurmOutput.lines(result.stdout())) {
            Optional<List<String>> fields = SlurmJobFields.split(line, FIELDS.size());
            if (fields.isEmpty()) {
                continue;
            }
            List<String> field = fields.get();
            String id = field.get(0).strip();
            int dot = id.indexOf('.');
            if (dot >= 0) {
                steps.computeIfAbsent(id.substring(0, dot), parent -> new ArrayList<>()).add(step(id, field));
            } else {
                jobs.put(id, job(id, field));
                if (!field.get(18).isBlank() && !field.get(19).isBlank()) {
                    userByUid.put(field.get(19).strip(), field.get(18).strip());
                }
            }
        }
        return jobs.values().stream()
                .map(job -> job.withSteps(steps.getOrDefault(job.jobId(), List.of())))
                .map(job -> nameCanceller(job, userByUid))
                .toList();
    }

    private static Job job(String id, List<String> field) {
        Optional<SlurmJobFields.ArrayId> array = SlurmJobFields.arrayId(field.get(1));
        JobTime time = new JobTime(SlurmOutput.optionalLong(field.get(13)), SlurmJobFields.epoch(field.get(14)),
                SlurmJobFields.epoch(field.get(15)), SlurmJobFields.duration(field.get(16)),
                SlurmJobFields.minutes(field.get(17)));
        return new Job(id, array.map(SlurmJobFields.ArrayId::arrayJobId), array.map(SlurmJobFields.ArrayId::taskId),
                field.get(7), SlurmJobFields.status(field.get(11), SlurmJobFields.text(field.get(12)), field.get(4)),
                List.of(), time, SlurmJobFields.text(field.get(6)), SlurmOutput.optionalInt(field.get(2)).orElse(0),
                field.get(3).strip(), SlurmJobFields.text(field.get(5)), field.get(8).strip(), field.get(9).strip(),
                SlurmJobFields.cancelledBy(field.get(11)), SlurmJobFields.text(field.get(18)), field.get(20),
                SlurmOutput.optionalLong(field.get(10)));
    }

    private static JobStep step(String id, List<String> field) {
        JobStatus status = SlurmJobFields.status(field.get(11), Optional.empty(), field.get(4));
        JobTime time = new JobTime(SlurmOutput.optionalLong(field.get(13)), SlurmJobFields.epoch(field.get(14)),
                SlurmJobFields.epoch(field.get(15)), SlurmJobFields.duration(field.get(16)), Optional.empty());
        return new JobStep(id, field.get(7), status, time);
    }

    /** sacct names the canceller by uid; the job owners in the same answer often give the name. */
    private static Job nameCanceller(Job job, Map<String, String> userByUid) {
        if (job.killRequestUser().isEmpty() || !userByUid.containsKey(job.killRequestUser().get())) {
            return job;
        }
        return job.withKillRequestUser(Optional.of(userByUid.get(job.killRequestUser().get())));
    }
}
