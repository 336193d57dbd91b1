package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.JobIds;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code scontrol show -o job ID}: the standard stream and script paths slurmctld holds for a job
 * (one line per array task). Empty once the job has left the controller.
 */
public final class ScontrolJobCommand implements RemoteCommand<List<ScontrolJobCommand.Streams>> {
    /**
     * A job's standard streams, with {@code %j}-style patterns already expanded by Slurm, and the
     * path of its batch script ({@code Command}; empty when the script came on standard input).
     */
    public record Streams(String jobId, Optional<String> standardInput, Optional<String> standardOutput,
                          Optional<String> standardError, Optional<String> command) {}

    private final String jobId;

    /** @throws IllegalArgumentException when the id is not letters and digits */
    public ScontrolJobCommand(String jobId) {
        this.jobId = JobIds.require(jobId);
    }

    @Override
    public List<String> argv() {
        return List.of("env", "SLURM_TIME_FORMAT=%s", "scontrol", "show", "-o", "job", jobId);
    }

    @Override
    public List<Streams> parse(CommandResult result) {
        if (SlurmOutput.failedForUnknownJob(result)) {
            return List.of();
        }
        List<Streams> jobs = new ArrayList<>();
        for (String line : SlurmOutput.lines(result.stdout())) {
            Optional<ScontrolRecord> parsed = ScontrolRecord.parse(line);
            if (parsed.isEmpty()) {
                continue;
            }
            ScontrolRecord record = parsed.get();
            jobs.add(new Streams(record.require("JobId", "scontrol job line"), path(record, "StdIn"),
                    path(record, "StdOut"), path(record, "StdErr"), path(record, "Command")));
        }
        return List.copyOf(jobs);
    }

    private static Optional<String> path(ScontrolRecord record, String key) {
        return record.value(key).flatMap(SlurmJobFields::text);
    }
}
