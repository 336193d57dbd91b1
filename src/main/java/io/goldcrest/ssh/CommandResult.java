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

    /** FirecREST's message for a failed command, which clients search for phrases in. */
    public static String failureMessage(int exitStatus, String stderr) {
        String reason = stderr.strip();
        return "Remote process failed with exit status:" + exitStatus + (reason.isEmpty() ? "" : " and error message:" + reason);
    }
}
