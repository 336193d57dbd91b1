package io.goldcrest.tasks;

import io.goldcrest.config.ClusterConfig;
import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobState;
import io.goldcrest.scheduler.Scheduler;
import io.goldcrest.ssh.SshPool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watcher per system: every {@code watch_interval} it reads the system's open tasks from the
 * store, asks the scheduler about all their jobs at once, and moves each task on. Everything it
 * needs is in the store, so after a restart (or on another instance) it simply carries on; with a
 * shared store a lease makes one instance the watcher of a system at a time.
 *
 * <p>The lookup runs as the cluster's {@code probe_user} when one is configured (one query for every
 * user's jobs); jobs that user cannot see (Slurm's {@code PrivateData=jobs}) are looked up again as
 * their owners, one query per owner.
 */
public final class TaskWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWatcher.class);
    // A job the scheduler does not show this long after its task was created is not coming back.
    private static final Duration UNKNOWN_JOB_GRACE = Duration.ofMinutes(2);
    // A task Goldcrest carries out itself (no job) that is still open this long after its creation was
    // left behind by an instance that stopped; nobody else will finish it.
    static final Duration ABANDONED_GRACE = Duration.ofMinutes(10);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(10);

    private final List<ClusterConfig> clusters;
    private final TaskStore store;
    private final SshPool pool;
    private final Map<String, Scheduler> schedulers;
    private final Map<String, TaskFollower> followers;
    private final Clock clock;
    private final Duration interval;
    private final String instanceId;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    public TaskWatcher(List<ClusterConfig> clusters, TaskStore store, SshPool pool, Map<String, Scheduler> schedulers,
                       Map<String, TaskFollower> followers, Clock clock, Duration interval, String instanceId) {
        this.clusters = List.copyOf(clusters);
        this.store = Objects.requireNonNull(store, "store");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.schedulers = Map.copyOf(schedulers);
        this.followers = Map.copyOf(followers);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    }

    public synchronized void start() {
        for (ClusterConfig cluster : clusters) {
            threads.add(Thread.ofVirtual().name("task-watcher-" + cluster.name()).start(() -> loop(cluster)));
        }
        threads.add(Thread.ofVirtual().name("task-sweeper").start(this::sweepLoop));
    }

    /** Drops expired tasks from a store that does not expire them itself (the embedded one). */
    private void sweepLoop() {
        while (!closed) {
            try {
                store.sweep(clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("task sweep: {}", e.toString());
            }
            try {
                Thread.sleep(SWEEP_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void loop(ClusterConfig cluster) {
        while (!closed) {
            try {
                round(cluster);
            } catch (RuntimeException e) {
                // A failed round (SSH down, store unreachable) is retried on the next one; tasks stay as they were.
                LOG.warn("task watcher for {}: {}", cluster.name(), e.toString());
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * One round for one system; public so tests can drive it without waiting.
     *
     * @return the tasks this round changed
     */
    public List<Task> round(ClusterConfig cluster) {
        if (!store.lease(cluster.name(), instanceId, interval.multipliedBy(3))) {
            return List.of();
        }
        List<Task> open = store.open(cluster.name());
        if (open.isEmpty()) {
            return List.of();
        }
        Lookup lookup = lookUp(cluster, open);
        Map<String, Job> jobs = lookup.jobs();
        Instant now = clock.instant();
        List<Task> changed = new ArrayList<>();
        for (Task task : open) {
            if (lookup.unanswered().contains(task.owner())) {
                continue;
            }
            Task next = advance(task, task.jobId().map(jobs::get), now);
            if (!next.equals(task)) {
                store.put(next);
                changed.add(next);
            }
        }
        return changed;
    }

    private Task advance(Task task, Optional<Job> job, Instant now) {
        TaskFollower follower = followers.getOrDefault(task.service(), new TaskFollower() {});
        if (task.jobId().isEmpty()) {
            if (Duration.between(task.updatedAt(), now).compareTo(ABANDONED_GRACE) < 0) {
                return task;
            }
            return task.moved(TaskState.FAILED, Optional.of("Goldcrest stopped before the request was done; please repeat it."), now);
        }
        if (job.isEmpty()) {
            if (Duration.between(task.createdAt(), now).compareTo(UNKNOWN_JOB_GRACE) < 0) {
                return task;
            }
            return follower.ended(task.moved(TaskState.FAILED,
                    Optional.of("The scheduler no longer knows job " + task.jobId().get() + "."), now));
        }
        TaskState state = stateOf(job.get()).orElse(task.state());
        if (state.isOpen()) {
            Task moved = state == task.state() ? task : task.moved(state, Optional.empty(), now);
            Optional<Progress> progress = follower.progress(moved);
            return progress.equals(moved.progress()) ? moved : moved.withProgress(progress, now);
        }
        Optional<String> error = switch (state) {
            case SUCCEEDED -> Optional.empty();
            case CANCELLED -> Optional.of("Job " + job.get().jobId() + " was cancelled"
                    + job.get().killRequestUser().map(user -> " by " + user).orElse("") + ".");
            default -> Optional.of("Job " + job.get().jobId() + " ended " + job.get().status().stateText()
                    + job.get().status().exitCode().map(code -> " with exit code " + code).orElse("") + ".");
        };
        return follower.ended(task.moved(state, error, now));
    }

    /** The task state a job's state means; empty for a state that says nothing new. */
    static Optional<TaskState> stateOf(Job job) {
        JobState state = job.status().state();
        return switch (state) {
            case PENDING, REQUEUED, REQUEUE_FED, REQUEUE_HOLD, CONFIGURING, POWER_UP_NODE, RESV_DEL_HOLD -> Optional.of(TaskState.QUEUED);
            case RUNNING, COMPLETING, SUSPENDED, STOPPED, RESIZING, SIGNALING, STAGE_OUT, UPDATE_DB -> Optional.of(TaskState.RUNNING);
            case COMPLETED -> Optional.of(job.status().exitCode().orElse(0) == 0 ? TaskState.SUCCEEDED : TaskState.FAILED);
            case CANCELLED -> Optional.of(TaskState.CANCELLED);
            case FAILED, TIMEOUT, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE, OUT_OF_MEMORY, SPECIAL_EXIT, REVOKED,
                 LAUNCH_FAILED, RECONFIG_FAIL -> Optional.of(TaskState.FAILED);
            case UNKNOWN -> Optional.empty();
        };
    }

    /** @param unanswered owners whose jobs could not be looked up this round (their tasks wait) */
    private record Lookup(Map<String, Job> jobs, Set<String> unanswered) {}

    private Lookup lookUp(ClusterConfig cluster, List<Task> open) {
        Scheduler scheduler = schedulers.get(cluster.name());
        Map<String, Job> found = new HashMap<>();
        Set<String> unanswered = new HashSet<>();
        List<Task> withJobs = open.stream().filter(task -> task.jobId().isPresent()).toList();
        if (withJobs.isEmpty()) {
            return new Lookup(found, unanswered);
        }
        if (cluster.probeUser().isPresent()) {
            Set<String> ids = withJobs.stream().map(task -> task.jobId().get()).collect(Collectors.toSet());
            scheduler.jobsById(pool.runner(cluster.name(), cluster.probeUser().get()), ids)
                    .forEach(job -> found.put(job.jobId(), job));
        }
        Map<String, List<String>> missingByOwner = new LinkedHashMap<>();
        for (Task task : withJobs) {
            if (!found.containsKey(task.jobId().get())) {
                missingByOwner.computeIfAbsent(task.owner(), owner -> new ArrayList<>()).add(task.jobId().get());
            }
        }
        missingByOwner.forEach((owner, ids) -> {
            try {
                scheduler.jobsById(pool.runner(cluster.name(), owner), ids).forEach(job -> found.put(job.jobId(), job));
            } catch (RuntimeException e) {
                // One user's failure (no credentials any more, say) must not stall everyone else's tasks.
                LOG.warn("task watcher for {}: looking up {}'s jobs failed: {}", cluster.name(), owner, e.toString());
                unanswered.add(owner);
            }
        });
        return new Lookup(found, unanswered);
    }

    @Override
    public synchronized void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        threads.clear();
    }
}
