package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/** {@code tar -x} of an archive into a directory; GNU tar refuses members with {@code ..} itself. */
record ExtractCommand(String path, String targetPath, Compression compression) implements RemoteCommand<Void> {
    @Override
    public List<String> argv() {
        return Coreutils.argv("tar", "-x" + compression.tarLetter() + "f", path, "-C", targetPath);
    }

    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return null;
    }
}
