package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/** {@code chown OWNER:GROUP}; either may be empty (then unchanged). Names were validated. */
record ChownCommand(String path, String owner, String group) implements RemoteCommand<Void> {
    @Override
    public List<String> argv() {
        return Coreutils.argv("chown", "--", owner + ":" + group, path);
    }

    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return null;
    }
}
