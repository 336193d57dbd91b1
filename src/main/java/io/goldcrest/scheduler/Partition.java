package io.goldcrest.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * @param state the scheduler's partition state, e.g. {@code UP}
 * @param isDefault whether jobs that name no partition go to this one
 */
public record Partition(String name, Optional<Integer> cpus, Optional<Integer> totalNodes, String state, boolean isDefault) {
    public Partition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(totalNodes, "totalNodes");
        Objects.requireNonNull(state, "state");
    }
}
