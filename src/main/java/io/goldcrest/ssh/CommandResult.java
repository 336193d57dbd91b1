package io.goldcrest.ssh;

import java.util.Objects;

/** What a remote command left: exit status and its output, decoded as UTF-8 (bad bytes replaced). */
public record CommandResult(int exitStatus, String stdout, String stderr) {
    public CommandResult {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    public boolean succeeded() {
        return exitStatus == 0;
    }
}
