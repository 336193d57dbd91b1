package io.goldcrest.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * A job's or step's times; each is empty when the scheduler does not know it (yet).
 *
 * @param elapsed seconds run so far
 * @param start epoch seconds; for a pending job, the scheduler's expected start
 * @param end epoch seconds; for a running job, the expected end
 * @param suspended seconds spent suspended
 * @param limit the time limit in seconds; empty when unlimited
 */
public record JobTime(Optional<Long> elapsed, Optional<Long> start, Optional<Long> end, Optional<Long> suspended,
                      Optional<Long> limit) {
    public JobTime {
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(suspended, "suspended");
        Objects.requireNonNull(limit, "limit");
    }
}
