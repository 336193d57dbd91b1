package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/**
 * {@code chown} of owner, group or both; an empty one is left unchanged ({@code owner:} would set
 * the owner's login group, so the colon is only written when a group is given). Names were validated.
 */
record ChownCommand(String path, String owner, String group) implements RemoteCommand<Void> {
    @Override
    public List<String> argv() {
        String spec = group.isEmpty() ? (owner.isEmpty() ? ":" : owner) : owner + ":" + group;
        return Coreutils.argv("chown", "--", spec, path);
    }

    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return null;
    }
}
