package io.goldcrest.ssh;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;

/** An agent could not be started or stopped answering (e.g. its interpreter is missing). */
public final class AgentException extends GoldcrestException {
    public AgentException(String message) {
        super(ErrorCode.REMOTE_COMMAND_FAILED, message);
    }
}
