package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/** {@code chmod} with a symbolic mode (octal modes go through SFTP). The mode was validated. */
record ChmodCommand(String path, String mode) implements RemoteCommand<Void> {
    @Override
    public List<String> argv() {
        // After "--" a mode such as "-w" is not taken for an option.
        return Coreutils.argv("chmod", "--", mode, path);
    }

    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return null;
    }
}
