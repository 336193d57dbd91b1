package io.goldcrest.error;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one exception type of Goldcrest. The message is safe to show to the caller: it never holds
 * tokens, keys, host names or command lines (those go to the log).
 */
public class GoldcrestException extends RuntimeException {
    private final ErrorCode code;

    public GoldcrestException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public GoldcrestException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** Messages of the chained Goldcrest causes, outermost first; empty when there are none. */
    public List<String> causedBy() {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof GoldcrestException goldcrest) {
                messages.add(goldcrest.getMessage());
            }
        }
        return List.copyOf(messages);
    }
}
