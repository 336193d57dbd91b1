package io.goldcrest.status;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/** A health probe: succeeds when the command exits 0; otherwise fails with the remote error. */
final class ProbeCommand implements RemoteCommand<Boolean> {
    private final List<String> argv;

    private ProbeCommand(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    /** The SSH probe: a login and a command that does nothing. */
    static ProbeCommand ssh() {
        return new ProbeCommand(List.of("true"));
    }

    /** The file-system probe: the configured path can be listed (it is mounted and reachable). */
    static ProbeCommand path(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        return new ProbeCommand(List.of("ls", "-l", "-d", "--", path));
    }

    @Override
    public List<String> argv() {
        return argv;
    }

    @Override
    public Boolean parse(CommandResult result) {
        if (!result.succeeded()) {
            throw RemoteFailure.of(result);
        }
        return Boolean.TRUE;
    }
}
