package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/**
 * {@code mv --force}: renames or moves {@code source} to {@code target}, replacing a file there. A
 * command rather than SFTP's rename, which refuses an existing target and cannot cross file systems.
 */
record MoveCommand(String source, String target) implements RemoteCommand<Void> {
    @Override
    public List<String> argv() {
        return Coreutils.argv("mv", "--force", "--", source, target);
    }

    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return null;
    }
}
