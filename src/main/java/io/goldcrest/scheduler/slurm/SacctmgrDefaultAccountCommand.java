package io.goldcrest.scheduler.slurm;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;
import java.util.Optional;

/** {@code sacctmgr show user}: the user's default account; empty when Slurm does not know the user. */
public final class SacctmgrDefaultAccountCommand implements RemoteCommand<Optional<String>> {
    private final String user;

    /** @throws IllegalArgumentException when {@code user} is not a portable user name */
    public SacctmgrDefaultAccountCommand(String user) {
        this.user = SlurmUserName.require(user);
    }

    @Override
    public List<String> argv() {
        return List.of("sacctmgr", "show", "user", "name=" + user, "format=defaultaccount", "-n", "-P");
    }

    /** @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} on a non-zero exit */
    @Override
    public Optional<String> parse(CommandResult result) {
        SlurmOutput.requireSuccess(result);
        return SlurmOutput.lines(result.stdout()).stream().map(String::strip).findFirst();
    }
}
