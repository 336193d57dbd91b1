package io.goldcrest.status;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;

/** The FirecREST-compatible message for a remote command that exited non-zero. */
final class RemoteFailure {
    private RemoteFailure() {}

    static GoldcrestException of(CommandResult result) {
        return new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED,
                CommandResult.failureMessage(result.exitStatus(), result.stderr()));
    }
}
