package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/** {@code dd}: {@code size} bytes from {@code offset} as text; for what SFTP must not open. */
record DdCommand(String path, long offset, long size) implements RemoteCommand<String> {
    @Override
    public List<String> argv() {
        return Coreutils.argv("dd", "if=" + path, "bs=65536", "skip=" + offset, "count=" + size,
                "iflag=skip_bytes,count_bytes", "status=none");
    }

    @Override
    public String parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return result.stdout();
    }
}
