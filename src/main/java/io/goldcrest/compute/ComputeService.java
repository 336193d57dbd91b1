package io.goldcrest.compute;

import io.goldcrest.config.ClusterConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.AccountedJob;
import io.goldcrest.scheduler.AccountingQuery;
import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobFiles;
import io.goldcrest.scheduler.JobMetadata;
import io.goldcrest.scheduler.JobQuery;
import io.goldcrest.scheduler.JobSpec;
import io.goldcrest.scheduler.Scheduler;
import io.goldcrest.scheduler.UserAnswerCache;
import io.goldcrest.ssh.CommandRunner;
import io.goldcrest.ssh.FileAttributes;
import io.goldcrest.ssh.RemoteFileException;
import io.goldcrest.ssh.SshPool;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The compute service: batch jobs submitted, listed, inspected, attached to and cancelled as the
 * requesting user, through the cluster's {@link Scheduler}. Lists and single-job lookups go
 * through a short per-user {@link UserAnswerCache} ({@code clusters[].goldcrest.jobs_cache_ttl}).
 */
public final class ComputeService {
    private final SshPool pool;
    private final Map<String, Scheduler> schedulers;
    private final UserAnswerCache<JobQuery, List<Job>> lists;
    private final UserAnswerCache<String, List<Job>> lookups;

    public ComputeService(SshPool pool, Map<String, Scheduler> schedulers, Clock clock) {
        this.pool = pool;
        this.schedulers = Map.copyOf(schedulers);
        this.lists = new UserAnswerCache<>(clock);
        this.lookups = new UserAnswerCache<>(clock);
    }

    /**
     * Checks on the login node that the working directory is a directory (Slurm would otherwise run
     * the job in /tmp), then submits.
     *
     * @return the new job's id
     * @throws GoldcrestException {@code JOB_REJECTED} for a missing working directory or what Slurm refused
     */
    public String submit(ClusterConfig cluster, String user, JobSpec spec) {
        CommandRunner runner = runner(cluster, user);
        requireDirectory(runner, spec.workingDirectory());
        try {
            return scheduler(cluster).submit(runner, spec);
        } finally {
            forget(cluster, user);
        }
    }

    public List<Job> jobs(ClusterConfig cluster, String user, JobQuery query) {
        return lists.get(cluster.name(), user, query, cluster.jobsCacheTtl(),
                () -> scheduler(cluster).jobs(runner(cluster, user), query));
    }

    /** @throws GoldcrestException {@code JOB_NOT_FOUND} when no job has this id */
    public List<Job> job(ClusterConfig cluster, String user, String jobId) {
        return lookups.get(cluster.name(), user, jobId, cluster.jobsCacheTtl(),
                () -> scheduler(cluster).job(runner(cluster, user), jobId));
    }

    public List<JobMetadata> metadata(ClusterConfig cluster, String user, String jobId) {
        return scheduler(cluster).metadata(runner(cluster, user), jobId);
    }

    /** The script and stream paths the scheduler holds for the job; empty once it has left the scheduler. */
    public List<JobFiles> files(ClusterConfig cluster, String user, String jobId) {
        return scheduler(cluster).files(runner(cluster, user), jobId);
    }

    /** Job allocations as accounting recorded them (see {@link Scheduler#accounting}). */
    public List<AccountedJob> accounting(ClusterConfig cluster, String user, AccountingQuery query) {
        return scheduler(cluster).accounting(runner(cluster, user), query);
    }

    public void attach(ClusterConfig cluster, String user, String jobId, String command) {
        scheduler(cluster).attach(runner(cluster, user), jobId, command);
    }

    /** @return what the scheduler said */
    public String cancel(ClusterConfig cluster, String user, String jobId) {
        try {
            return scheduler(cluster).cancel(runner(cluster, user), jobId);
        } finally {
            forget(cluster, user);
        }
    }

    private void forget(ClusterConfig cluster, String user) {
        lists.invalidate(cluster.name(), user);
        lookups.invalidate(cluster.name(), user);
    }

    private static void requireDirectory(CommandRunner runner, String path) {
        FileAttributes attributes;
        try {
            attributes = runner.files(files -> files.stat(path));
        } catch (RemoteFileException e) {
            switch (e.reason()) {
                case NO_SUCH_FILE -> throw rejected("The working directory (" + path + ") does not exist.");
                case PERMISSION_DENIED -> throw rejected("The working directory (" + path + ") cannot be reached: Permission denied.");
                case BAD_MESSAGE -> throw rejected("The working directory (" + path + ") is not a valid path.");
                // OpenSSH reports ENOTDIR (a file on the way) as a plain failure.
                case FAILURE -> throw rejected("The working directory (" + path + ") is not a directory.");
                // The check is a courtesy; a server that cannot answer it leaves the decision to Slurm.
                case UNSUPPORTED -> {
                    return;
                }
            }
            return;
        }
        if (!attributes.isDirectory()) {
            throw rejected("The working directory (" + path + ") is not a directory.");
        }
    }

    private static GoldcrestException rejected(String message) {
        return new GoldcrestException(ErrorCode.JOB_REJECTED, message);
    }

    private CommandRunner runner(ClusterConfig cluster, String user) {
        return pool.runner(cluster.name(), user);
    }

    private Scheduler scheduler(ClusterConfig cluster) {
        return schedulers.get(cluster.name());
    }
}
