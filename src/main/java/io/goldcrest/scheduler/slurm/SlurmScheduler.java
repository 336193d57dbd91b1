package io.goldcrest.scheduler.slurm;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.Account;
import io.goldcrest.scheduler.AccountedJob;
import io.goldcrest.scheduler.AccountingQuery;
import io.goldcrest.scheduler.ControllerPing;
import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobFiles;
import io.goldcrest.scheduler.JobMetadata;
import io.goldcrest.scheduler.JobQuery;
import io.goldcrest.scheduler.JobSpec;
import io.goldcrest.scheduler.JobStatus;
import io.goldcrest.scheduler.JobTime;
import io.goldcrest.scheduler.Node;
import io.goldcrest.scheduler.Partition;
import io.goldcrest.scheduler.Reservation;
import io.goldcrest.scheduler.Scheduler;
import io.goldcrest.ssh.CommandRunner;
import io.goldcrest.ssh.Concurrently;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Slurm reached through its command-line tools over SSH; stateless, so one instance serves all clusters. */
public final class SlurmScheduler implements Scheduler {
    @Override
    public List<Node> nodes(CommandRunner runner) {
        return runner.run(new SinfoNodesCommand());
    }

    @Override
    public List<Partition> partitions(CommandRunner runner, boolean showHidden) {
        return runner.run(new ScontrolPartitionsCommand(showHidden));
    }

    @Override
    public List<Reservation> reservations(CommandRunner runner) {
        return runner.run(new ScontrolReservationsCommand());
    }

    @Override
    public List<ControllerPing> ping(CommandRunner runner) {
        return runner.run(new ScontrolPingCommand());
    }

    @Override
    public String version(CommandRunner runner) {
        return runner.run(new SinfoVersionCommand());
    }

    /**
     * The runner user's associations, the default one flagged. The default-account lookup runs only
     * when there are associations.
     *
     * @throws IllegalArgumentException when the runner's user name is not a portable user name
     */
    @Override
    public Optional<List<Account>> accounts(CommandRunner runner) {
        String user = runner.username();
        List<String> names = runner.run(new SacctmgrAssociationsCommand(user));
        if (names.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> defaultAccount = runner.run(new SacctmgrDefaultAccountCommand(user));
        List<Account> accounts = names.stream()
                .map(name -> new Account(name, defaultAccount.filter(name::equals).isPresent()))
                .toList();
        return Optional.of(accounts);
    }

    @Override
    public String submit(CommandRunner runner, JobSpec spec) {
        return runner.run(new SbatchCommand(spec));
    }

    /**
     * squeue and sacct run together: squeue knows every queued job (sacct misses held jobs and
     * jobs waiting on a dependency), sacct knows ended jobs, steps and exit codes. Slurm reads the
     * account and name filters as lists, so they are matched exactly here; so is the user, which
     * squeue's JSON would ignore and which must hold whatever the commands return.
     */
    @Override
    public List<Job> jobs(CommandRunner runner, JobQuery query) {
        String user = runner.username();
        List<Job> merged = both(() -> runner.run(SacctCommand.of(query)), () -> runner.run(SqueueCommand.of(user, query)));
        return merged.stream()
                .filter(job -> query.allUsers() || job.user().equals(Optional.of(user)))
                .filter(job -> query.account().isEmpty() || job.account().equals(query.account()))
                .filter(job -> query.name().isEmpty() || job.name().equals(query.name().get()))
                .toList();
    }

    @Override
    public List<Job> job(CommandRunner runner, String jobId) {
        List<Job> jobs = both(() -> runner.run(SacctCommand.ofJob(jobId)), () -> runner.run(SqueueCommand.ofJob(jobId)));
        if (jobs.isEmpty()) {
            throw new GoldcrestException(ErrorCode.JOB_NOT_FOUND, "Job not found.");
        }
        return jobs;
    }

    @Override
    public List<Job> jobsById(CommandRunner runner, Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return List.of();
        }
        return both(() -> runner.run(SacctCommand.ofJobs(jobIds)), () -> runner.run(SqueueCommand.ofJobs(jobIds)));
    }

    /** The script is the array's for every task, so it is fetched once, beside the stream paths. */
    @Override
    public List<JobMetadata> metadata(CommandRunner runner, String jobId) {
        CompletableFuture<List<ScontrolJobCommand.Streams>> streams = Concurrently.start(() -> runner.run(new ScontrolJobCommand(jobId)));
        CompletableFuture<Optional<String>> script = Concurrently.start(() -> runner.run(new ScontrolBatchScriptCommand(jobId)));
        List<ScontrolJobCommand.Streams> jobs = Concurrently.join(streams);
        Optional<String> text = Concurrently.join(script);
        if (jobs.isEmpty()) {
            throw new GoldcrestException(ErrorCode.JOB_NOT_FOUND, "Job not found.");
        }
        return jobs.stream().map(job -> new JobMetadata(job.jobId(), text, job.standardInput(), job.standardOutput(),
                job.standardError())).toList();
    }

    @Override
    public List<JobFiles> files(CommandRunner runner, String jobId) {
        return runner.run(new ScontrolJobCommand(jobId)).stream()
                .map(job -> new JobFiles(job.jobId(), job.command(), job.standardOutput(), job.standardError()))
                .toList();
    }

    @Override
    public List<AccountedJob> accounting(CommandRunner runner, AccountingQuery query) {
        return runner.run(new SacctAllocationsCommand(query));
    }

    @Override
    public void attach(CommandRunner runner, String jobId, String command) {
        runner.run(new SrunAttachCommand(jobId, command));
    }

    @Override
    public String cancel(CommandRunner runner, String jobId) {
        return runner.run(new ScancelCommand(jobId));
    }

    /**
     * Accounting first, in its order, then jobs only the queue knows. For a job in both, the queue's
     * record is the fresher (sacct lags slurmctld), keeping accounting's steps, exit code,
     * suspended time and canceller, which squeue does not print (a cancelled job stays in the queue
     * as COMPLETING while its processes end).
     */
    static List<Job> merge(List<Job> accounting, List<Job> queue) {
        Map<String, Job> jobs = new LinkedHashMap<>();
        accounting.forEach(job -> jobs.put(job.jobId(), job));
        for (Job queued : queue) {
            Job known = jobs.get(queued.jobId());
            if (known == null) {
                jobs.put(queued.jobId(), queued);
                continue;
            }
            JobStatus status = queued.status();
            JobTime time = queued.time();
            jobs.put(queued.jobId(), queued.withSteps(known.steps())
                    .withKillRequestUser(queued.killRequestUser().or(known::killRequestUser))
                    .withStatus(new JobStatus(status.state(), status.stateText(), status.stateReason(),
                            known.status().exitCode(), known.status().interruptSignal()))
                    .withTime(new JobTime(time.elapsed(), time.start(), time.end(), known.time().suspended(), time.limit())));
        }
        return List.copyOf(jobs.values());
    }

    private static List<Job> both(Supplier<List<Job>> accounting, Supplier<List<Job>> queue) {
        CompletableFuture<List<Job>> sacct = Concurrently.start(accounting);
        CompletableFuture<List<Job>> squeue = Concurrently.start(queue);
        List<Job> accounted = Concurrently.join(sacct);
        return merge(accounted, Concurrently.join(squeue));
    }
}
