package io.goldcrest.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * Which jobs a list shows: queued and running ones always, ended ones within the window.
 *
 * @param allUsers every user's jobs the scheduler shows this user, not only their own
 * @param account only jobs charged to this account (exact match)
 * @param name only jobs of this name (exact match)
 */
public record JobQuery(boolean allUsers, Optional<String> account, Optional<String> name, HistoryWindow window) {
    public JobQuery {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
    }
}
