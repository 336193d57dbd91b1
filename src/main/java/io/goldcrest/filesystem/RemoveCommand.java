package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/** {@code rm -r}, never asking: for directories with content (SFTP removes the rest). */
record RemoveCommand(String path) implements RemoteCommand<Void> {
    @Override
    public List<String> argv() {
        return Coreutils.argv("rm", "-r", "--interactive=never", "--", path);
    }

    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return null;
    }
}
