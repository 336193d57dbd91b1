package io.goldcrest.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a job or step stands.
 *
 * @param stateText the scheduler's own word for the state ({@code CANCELLED}, or a word Goldcrest
 *     does not know), without decorations such as {@code by 1001}
 * @param exitCode the exit status of the batch script or step; empty while unknown
 * @param interruptSignal the signal that ended it, 0 when none; empty while unknown
 */
public record JobStatus(JobState state, String stateText, Optional<String> stateReason, Optional<Integer> exitCode,
                        Optional<Integer> interruptSignal) {
    public JobStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stateText, "stateText");
        Objects.requireNonNull(stateReason, "stateReason");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(interruptSignal, "interruptSignal");
    }
}
