package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/**
 * {@code tail}: the last N bytes or lines, or with {@code skipHeading} everything from the Nth on.
 *
 * @param count N; 10 lines when neither bytes nor lines were asked for
 */
record TailCommand(String path, boolean bytes, long count, boolean skipHeading) implements RemoteCommand<Content> {
    @Override
    public List<String> argv() {
        String amount = (skipHeading ? "+" : "") + count;
        return Coreutils.argv("tail", bytes ? "--bytes=" + amount : "--lines=" + amount, "--", path);
    }

    @Override
    public Content parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return new Content(result.stdout(), bytes ? "bytes" : "lines", skipHeading ? count : -count, -1);
    }
}
