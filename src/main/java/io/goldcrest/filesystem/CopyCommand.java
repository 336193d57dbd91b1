package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/**
 * {@code cp --force -dR --preserve=all}: copies a file or a whole tree, links as links, keeping modes
 * and times. Ownership cannot be kept by a user who does not own the source; cp then quietly gives
 * the copy to the user, as it does for anyone but root.
 */
record CopyCommand(String source, String target) implements RemoteCommand<Void> {
    @Override
    public List<String> argv() {
        return Coreutils.argv("cp", "--force", "-dR", "--preserve=all", "--", source, target);
    }

    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return null;
    }
}
