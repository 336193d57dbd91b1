package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.JobIds;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/**
 * {@code srun --overlap --jobid=ID -- /bin/sh -c COMMAND}: runs the command inside a running
 * job's allocation. FirecREST appends the command to the line unquoted, so the login node's shell
 * reads it (a redirection lands on the login node); here it is one argument, and the shell that
 * reads it runs in the job.
 */
public final class SrunAttachCommand implements RemoteCommand<Void> {
    private final String jobId;
    private final String command;

    /** @throws IllegalArgumentException when the id is not letters and digits or the command is blank */
    public SrunAttachCommand(String jobId, String command) {
        this.jobId = JobIds.require(jobId);
        if (command.isBlank()) {
            throw new IllegalArgumentException("command: must not be empty");
        }
        this.command = command;
    }

    @Override
    public List<String> argv() {
        return List.of("srun", "--overlap", "--jobid=" + jobId, "--", "/bin/sh", "-c", command);
    }

    /** @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} when srun or the command failed */
    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded()) {
            throw SlurmOutput.unexpectedExit(result);
        }
        return null;
    }
}
