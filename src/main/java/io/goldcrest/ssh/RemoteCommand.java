package io.goldcrest.ssh;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
     * How long the command may run when that is not the cluster's {@code command_execution}
     * timeout (a site tool with a time limit of its own); empty by default.
     */
    default Optional<Duration> timeLimit() {
        return Optional.empty();
    }

    /**
     * What the audit log and metrics call the command: its program, never its arguments. Override
     * when the program is a shell wrapping the real tool.
     */
    default String name() {
        return RemoteOperation.program(argv());
    }

    /**
     * Pure: reads the result, never runs anything.
     *
     * @throws io.goldcrest.error.GoldcrestException when the result is a failure
     */
    T parse(CommandResult result);
}
