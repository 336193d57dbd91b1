package io.goldcrest.filesystem;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.Base64;
import java.util.List;

/** {@code base64}: a file's bytes through the text-only exec channel; for what SFTP must not open. */
record Base64Command(String path) implements RemoteCommand<byte[]> {
    @Override
    public List<String> argv() {
        return Coreutils.argv("base64", "--wrap=0", "--", path);
    }

    @Override
    public byte[] parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        try {
            return Base64.getDecoder().decode(result.stdout().strip());
        } catch (IllegalArgumentException e) {
            throw new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED, "Invalid output of base64");
        }
    }
}
