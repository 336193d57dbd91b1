package io.goldcrest.scheduler;

import io.goldcrest.ssh.CommandRunner;
import java.util.List;
import java.util.Optional;

/**
 * A workload manager reached through commands run as the requesting user. Slurm now; PBS is the
 * planned second implementation.
 *
 * <p>Every method throws {@link io.goldcrest.error.GoldcrestException} with {@code SCHEDULER_ERROR}
 * when the scheduler's answer is a failure or cannot be read, or an SSH error code from the runner.
 */
public interface Scheduler {
    List<Node> nodes(CommandRunner runner);

    /** @param showHidden include partitions the scheduler marks hidden */
    List<Partition> partitions(CommandRunner runner, boolean showHidden);

    List<Reservation> reservations(CommandRunner runner);

    List<ControllerPing> ping(CommandRunner runner);

    /** The accounts of the runner's user; empty when the user has no associations. */
    Optional<List<Account>> accounts(CommandRunner runner);
}
