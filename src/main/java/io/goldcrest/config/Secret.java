package io.goldcrest.config;

import java.util.Objects;

/** A configured secret. Its {@code toString} never shows the value, so it cannot leak into logs. */
public final class Secret {
    public static final String MASK = "**********";
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }
}
