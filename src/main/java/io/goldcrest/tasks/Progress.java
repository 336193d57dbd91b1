package io.goldcrest.tasks;

import java.util.Objects;
import java.util.Optional;

/**
 * How far a task has got, where that is known.
 *
 * @param done units done so far
 * @param total units in all, when known
 * @param unit what is counted, e.g. {@code bytes}
 */
public record Progress(long done, Optional<Long> total, String unit) {
    public Progress {
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(unit, "unit");
    }
}
