package io.goldcrest.scheduler;

import io.goldcrest.ssh.CommandRunner;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A workload manager reached through commands run as the requesting user. Slurm now; PBS is the
 * planned second implementation.
 *
 * <p>Every method throws {@link io.goldcrest.error.GoldcrestException} with {@code SCHEDULER_ERROR}
 * when the scheduler's answer is a failure or cannot be read, or an SSH error code from the runner.
 */
public interface Scheduler {
    List<Node> nodes(CommandRunner runner);

    /** @param showHidden include partitions the scheduler marks hidden */
    List<Partition> partitions(CommandRunner runner, boolean showHidden);

    List<Reservation> reservations(CommandRunner runner);

    List<ControllerPing> ping(CommandRunner runner);

    /** The accounts of the runner's user; empty when the user has no associations. */
    Optional<List<Account>> accounts(CommandRunner runner);

    /**
     * Submits a batch job as the runner's user.
     *
     * @return the new job's id
     * @throws io.goldcrest.error.GoldcrestException {@code JOB_REJECTED} when the scheduler refused what
     *     was asked, {@code JOB_LIMIT_EXCEEDED} when a policy limit refused it
     */
    String submit(CommandRunner runner, JobSpec spec);

    /** Queued and running jobs, and jobs that ended within the query's window. */
    List<Job> jobs(CommandRunner runner, JobQuery query);

    /**
     * Every job with this id that the runner's user may see (array jobs give one per task).
     *
     * @throws io.goldcrest.error.GoldcrestException {@code JOB_NOT_FOUND} when there is none
     */
    List<Job> job(CommandRunner runner, String jobId);

    /**
     * The jobs with any of these ids that the runner's user may see, looked up together in one round
     * (the task watcher follows many jobs at once); ids the scheduler does not know are left out.
     */
    List<Job> jobsById(CommandRunner runner, Collection<String> jobIds);

    /** @throws io.goldcrest.error.GoldcrestException {@code JOB_NOT_FOUND} when the scheduler no longer holds the job */
    List<JobMetadata> metadata(CommandRunner runner, String jobId);

    /**
     * The script and stream paths of every record with this id that the scheduler still holds
     * (array tasks give one each); empty once the job has left the scheduler's memory.
     */
    List<JobFiles> files(CommandRunner runner, String jobId);

    /**
     * Job allocations that accounting recorded for the query: the runner user's own, or with job ids
     * those the scheduler shows the user.
     */
    List<AccountedJob> accounting(CommandRunner runner, AccountingQuery query);

    /** Runs {@code command} with {@code /bin/sh} inside the running job's allocation. */
    void attach(CommandRunner runner, String jobId, String command);

    /**
     * @param jobId a job id, or an array task or range ({@code 12_3}, {@code 12_[1-4]})
     * @return what the scheduler said, e.g. {@code scancel: Terminating job 12}
     */
    String cancel(CommandRunner runner, String jobId);

    /** The version of the scheduler's commands on the login node, e.g. {@code 22.05.8}. */
    String version(CommandRunner runner);
}
