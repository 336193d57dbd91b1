package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/**
 * {@code unzip -o} of a ZIP archive into a directory, created if missing. unzip takes no {@code --};
 * both paths are absolute (checked before), so neither can be read as an option. unzip drops
 * {@code ../} from member names itself and says so with exit status 1, a warning.
 */
record UnzipCommand(String archive, String targetPath) implements RemoteCommand<Void> {
    private static final int WARNINGS = 1;

    UnzipCommand {
        if (!archive.startsWith("/") || !targetPath.startsWith("/")) {
            throw new IllegalArgumentException("unzip paths must be absolute");
        }
    }

    @Override
    public List<String> argv() {
        return Coreutils.argv("unzip", "-o", "-q", archive, "-d", targetPath);
    }

    @Override
    public Void parse(CommandResult result) {
        if (result.succeeded() || result.exitStatus() == WARNINGS) {
            return null;
        }
        // unzip writes some failures (a missing or unreadable archive: "cannot find or open") to stdout.
        throw Failures.of(result.exitStatus(), result.stderr().isBlank() ? result.stdout() : result.stderr());
    }
}
