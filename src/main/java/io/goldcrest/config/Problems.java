package io.goldcrest.config;

import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems so that start-up reports all of them at once. */
final class Problems {
    private final List<String> lines = new ArrayList<>();

    void add(String path, String reason) {
        lines.add(path + ": " + reason);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    void throwIfAny() {
        if (!lines.isEmpty()) {
            throw new ConfigException(lines);
        }
    }
}
