package io.goldcrest.filesystem;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;
import java.util.regex.Pattern;

/** {@code sha256sum}: the file's SHA-256 as lower-case hex. */
record ChecksumCommand(String path) implements RemoteCommand<String> {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    @Override
    public List<String> argv() {
        return Coreutils.argv("sha256sum", "--", path);
    }

    @Override
    public String parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        String output = result.stdout();
        // sha256sum marks lines whose file name it had to escape (a newline or backslash in it)
        // with a leading backslash; the checksum follows.
        String first = output.split("[ \n]", 2)[0];
        String checksum = first.startsWith("\\") ? first.substring(1) : first;
        if (!HEX.matcher(checksum).matches()) {
            throw new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED, "Invalid output: " + output.strip());
        }
        return checksum;
    }
}
