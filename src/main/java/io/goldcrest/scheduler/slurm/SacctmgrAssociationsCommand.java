package io.goldcrest.scheduler.slurm;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code sacctmgr show assoc}: the accounts a user is associated with, once each, in sacctmgr's
 * order. A user may hold several associations to one account (one per partition), hence the
 * de-duplication. A user without associations gives an empty list, not an error.
 */
public final class SacctmgrAssociationsCommand implements RemoteCommand<List<String>> {
    private final String user;

    /** @throws IllegalArgumentException when {@code user} is not a portable user name */
    public SacctmgrAssociationsCommand(String user) {
        this.user = SlurmUserName.require(user);
    }

    @Override
    public List<String> argv() {
        return List.of("sacctmgr", "show", "assoc", "user=" + user, "format=account", "-n", "-P");
    }

    /** @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} on a non-zero exit */
    @Override
    public List<String> parse(CommandResult result) {
        SlurmOutput.requireSuccess(result);
        Set<String> accounts = new LinkedHashSet<>();
        for (String line : SlurmOutput.lines(result.stdout())) {
            accounts.add(line.strip());
        }
        return List.copyOf(accounts);
    }
}
