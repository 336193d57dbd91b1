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
        String output = result.stdout().strip();
        // file(1) reports an unreadable path on stdout and exits 0; it is still a failure to read it.
        if (output.startsWith("cannot open")) {
            throw Failures.of(1, "file: " + output);
        }
        return output;
    }
}
