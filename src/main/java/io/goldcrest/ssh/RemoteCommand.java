package io.goldcrest.ssh;

import java.util.List;

/**
 * One command run on a cluster: it names its argument vector and turns the result into a value.
 * Constructors validate their inputs, so nothing invalid is ever sent.
 *
 * @param <T> what the command's output means
 */
public interface RemoteCommand<T> {
    /** The arguments, never a pre-joined string; {@link ShellQuoting} quotes each one. */
    List<String> argv();

    /**
     * Bytes sent to the command's standard input, then end-of-file; empty by default. Input that
     * must not pass through a shell (a job script) travels this way.
     */
    default byte[] stdin() {
        return new byte[0];
    }

    /**
     * Pure: reads the result, never runs anything.
     *
     * @throws io.goldcrest.error.GoldcrestException when the result is a failure
     */
    T parse(CommandResult result);
}
