package io.goldcrest.ssh;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation the pool ran on a cluster as a user, reported to {@link RemoteOperationListener}s
 * when it ends: what ran, never its input, output or file contents.
 *
 * @param kind {@code exec} (a command), {@code sftp} (file operations) or {@code agent} (a request to a kept agent)
 * @param name what ran: the command's program ({@code sbatch}), the SFTP operation, the agent's name
 * @param exitStatus the command's exit status; empty for SFTP and agents, and when none came back
 * @param failure the error code when the operation failed in the pool (timeout, SSH failure); empty on success
 */
public record RemoteOperation(String cluster, String username, String kind, String name, Optional<Integer> exitStatus,
                              Optional<String> failure, Duration duration) {
    public RemoteOperation {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(exitStatus, "exitStatus");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(duration, "duration");
    }
}
