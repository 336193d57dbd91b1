package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.Account;
import io.goldcrest.scheduler.ControllerPing;
import io.goldcrest.scheduler.Node;
import io.goldcrest.scheduler.Partition;
import io.goldcrest.scheduler.Reservation;
import io.goldcrest.scheduler.Scheduler;
import io.goldcrest.ssh.CommandRunner;
import java.util.List;
import java.util.Optional;

/** Slurm reached through its command-line tools over SSH; stateless, so one instance serves all clusters. */
public final class SlurmScheduler implements Scheduler {
    @Override
    public List<Node> nodes(CommandRunner runner) {
        return runner.run(new SinfoNodesCommand());
    }

    @Override
    public List<Partition> partitions(CommandRunner runner, boolean showHidden) {
        return runner.run(new ScontrolPartitionsCommand(showHidden));
    }

    @Override
    public List<Reservation> reservations(CommandRunner runner) {
        return runner.run(new ScontrolReservationsCommand());
    }

    @Override
    public List<ControllerPing> ping(CommandRunner runner) {
        return runner.run(new ScontrolPingCommand());
    }

    /**
     * The runner user's associations, the default one flagged. The default-account lookup runs only
     * when there are associations.
     *
     * @throws IllegalArgumentException when the runner's user name is not a portable user name
     */
    @Override
    public Optional<List<Account>> accounts(CommandRunner runner) {
        String user = runner.username();
        List<String> names = runner.run(new SacctmgrAssociationsCommand(user));
        if (names.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> defaultAccount = runner.run(new SacctmgrDefaultAccountCommand(user));
        List<Account> accounts = names.stream()
                .map(name -> new Account(name, defaultAccount.filter(name::equals).isPresent()))
                .toList();
        return Optional.of(accounts);
    }
}
