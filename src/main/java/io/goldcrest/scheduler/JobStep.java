package io.goldcrest.scheduler;

import java.util.Objects;

/** One step of a job ({@code 12.batch}, {@code 12.0}), as accounting records it. */
public record JobStep(String id, String name, JobStatus status, JobTime time) {
    public JobStep {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(time, "time");
    }
}
