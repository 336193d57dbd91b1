package io.goldcrest.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * @param startTime epoch seconds
 * @param endTime epoch seconds
 * @param state lower-cased scheduler state ({@code active}, {@code inactive})
 */
public record Reservation(String name, String nodeList, long startTime, long endTime, Optional<String> features, String state) {
    public Reservation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nodeList, "nodeList");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(state, "state");
    }
}
