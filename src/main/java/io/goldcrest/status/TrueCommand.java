package io.goldcrest.status;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;

/** The SSH probe: a login and a command that does nothing. */
final class TrueCommand implements RemoteCommand<Boolean> {
    @Override
    public List<String> argv() {
        return List.of("true");
    }

    @Override
    public Boolean parse(CommandResult result) {
        if (!result.succeeded()) {
            throw RemoteFailure.of(result);
        }
        return Boolean.TRUE;
    }
}
