package io.goldcrest.scheduler;

import java.util.Objects;

/** A scheduler account the user may charge, and whether it is the user's default. */
public record Account(String name, boolean isDefault) {
    public Account {
        Objects.requireNonNull(name, "name");
    }
}
