package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/**
 * {@code head}: the first N bytes or lines, or with {@code skipTrailing} all but the last N.
 *
 * @param count N; 10 lines when neither bytes nor lines were asked for
 */
record HeadCommand(String path, boolean bytes, long count, boolean skipTrailing) implements RemoteCommand<Content> {
    @Override
    public List<String> argv() {
        String amount = (skipTrailing ? "-" : "") + count;
        return Coreutils.argv("head", bytes ? "--bytes=" + amount : "--lines=" + amount, "--", path);
    }

    @Override
    public Content parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return new Content(result.stdout(), bytes ? "bytes" : "lines", 0, skipTrailing ? -count : count);
    }
}
