package io.goldcrest.status;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;

/** The FirecREST-compatible message for a remote command that exited non-zero. */
final class RemoteFailure {
    private RemoteFailure() {}

    static GoldcrestException of(CommandResult result) {
        String stderr = result.stderr().strip();
        return new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED, "Remote process failed with exit status:"
                + result.exitStatus() + (stderr.isEmpty() ? "" : " and error message:" + stderr));
    }
}
