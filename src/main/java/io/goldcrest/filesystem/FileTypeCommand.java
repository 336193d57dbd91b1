package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/** {@code file -b}: what the content looks like, e.g. {@code ASCII text}. */
record FileTypeCommand(String path) implements RemoteCommand<String> {
    @Override
    public List<String> argv() {
        return Coreutils.argv("file", "-b", "--", path);
    }

    @Override
    public String parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return result.stdout().strip();
    }
}
