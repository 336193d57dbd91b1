package io.goldcrest.tasks;

import java.util.UUID;

/** Task ids: random (version 4) UUIDs from a SecureRandom, so one user cannot guess another's. */
public final class TaskIds {
    private TaskIds() {}

    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
