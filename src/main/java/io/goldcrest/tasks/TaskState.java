package io.goldcrest.tasks;

import java.util.Locale;

/** Where an asynchronous request stands. The first two are open; the watcher moves them on. */
public enum TaskState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, EXPIRED;

    public boolean isOpen() {
        return this == QUEUED || this == RUNNING;
    }

    /** The lower-case word used in JSON and in the stores. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskState fromWord(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
