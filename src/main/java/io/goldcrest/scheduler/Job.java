package io.goldcrest.scheduler;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A batch job as the scheduler reports it.
 *
 * @param jobId the scheduler's unique id; for a task of an array job its own id, not the array's
 * @param arrayJobId the id of the array this job belongs to; empty for a plain job
 * @param arrayTaskId the task index, or the pending range ({@code 4-9}) of tasks not yet started
 * @param steps the job's steps; empty when only the queue (not accounting) knew the job
 * @param nodes the allocated node list; empty text before an allocation
 * @param killRequestUser who cancelled the job, when the scheduler says
 */
public record Job(
        String jobId,
        Optional<String> arrayJobId,
        Optional<String> arrayTaskId,
        String name,
        JobStatus status,
        List<JobStep> steps,
        JobTime time,
        Optional<String> account,
        int allocationNodes,
        String cluster,
        Optional<String> group,
        String nodes,
        String partition,
        Optional<String> killRequestUser,
        Optional<String> user,
        String workingDirectory,
        Optional<Long> priority) {

    public Job {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(arrayJobId, "arrayJobId");
        Objects.requireNonNull(arrayTaskId, "arrayTaskId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        steps = List.copyOf(steps);
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(killRequestUser, "killRequestUser");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(priority, "priority");
    }

    public Job withSteps(List<JobStep> newSteps) {
        return new Job(jobId, arrayJobId, arrayTaskId, name, status, newSteps, time, account, allocationNodes, cluster,
                group, nodes, partition, killRequestUser, user, workingDirectory, priority);
    }

    public Job withStatus(JobStatus newStatus) {
        return new Job(jobId, arrayJobId, arrayTaskId, name, newStatus, steps, time, account, allocationNodes, cluster,
                group, nodes, partition, killRequestUser, user, workingDirectory, priority);
    }

    public Job withKillRequestUser(Optional<String> newKillRequestUser) {
        return new Job(jobId, arrayJobId, arrayTaskId, name, status, steps, time, account, allocationNodes, cluster,
                group, nodes, partition, newKillRequestUser, user, workingDirectory, priority);
    }

    public Job withTime(JobTime newTime) {
        return new Job(jobId, arrayJobId, arrayTaskId, name, status, steps, newTime, account, allocationNodes, cluster,
                group, nodes, partition, killRequestUser, user, workingDirectory, priority);
    }
}
