package io.goldcrest.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * One job allocation as accounting recorded it (steps left out).
 *
 * @param jobId the id as the scheduler shows it, array tasks in the array form ({@code 12_3})
 * @param state the scheduler's state text, with what it adds ({@code CANCELLED by 1001})
 * @param start epoch seconds; empty before the job started
 * @param end epoch seconds; empty while it runs
 * @param elapsed seconds run
 * @param cpuTime allocated CPUs times seconds run
 * @param exitCode the batch script's exit status and the signal that ended it; empty while unknown
 */
public record AccountedJob(String jobId, String partition, String name, String user, String state,
                           Optional<Long> start, Optional<Long> end, Optional<Long> elapsed, Optional<Long> cpuTime,
                           int nodes, String nodeList, Optional<Integer> exitCode, Optional<Integer> signal) {
    public AccountedJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(cpuTime, "cpuTime");
        Objects.requireNonNull(nodeList, "nodeList");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(signal, "signal");
    }
}
