package io.goldcrest.status;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/** The file-system probe: the configured path can be listed (it is mounted and reachable). */
final class PathProbeCommand implements RemoteCommand<Boolean> {
    private final String path;

    PathProbeCommand(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        this.path = path;
    }

    @Override
    public List<String> argv() {
        return List.of("ls", "-l", "-d", "--", path);
    }

    @Override
    public Boolean parse(CommandResult result) {
        if (!result.succeeded()) {
            throw RemoteFailure.of(result);
        }
        return Boolean.TRUE;
    }
}
