package io.goldcrest.ssh;

import java.util.function.Function;

/** Runs commands on one cluster as one user. */
public interface CommandRunner {
    /**
     * Runs the command under the cluster's time limit and output cap and parses its result.
     *
     * @throws io.goldcrest.error.GoldcrestException {@code COMMAND_TIMEOUT}, {@code OUTPUT_TOO_LARGE},
     *     an {@code SSH_*} code, or whatever the command's parser raises
     */
    <T> T run(RemoteCommand<T> command);

    /**
     * Runs file operations over SFTP as the same user: no process is started on the cluster.
     *
     * @throws io.goldcrest.error.GoldcrestException {@code COMMAND_TIMEOUT} when the server stops
     *     answering, an {@code SSH_*} code, or a {@link RemoteFileException} the operation lets through
     */
    <T> T files(Function<RemoteFiles, T> operation);

    /**
     * One request line to a kept-running {@link Agent} of this user, and its answer line.
     *
     * @throws AgentException when the agent cannot run on the cluster (then use a command instead)
     * @throws io.goldcrest.error.GoldcrestException {@code COMMAND_TIMEOUT} or an {@code SSH_*} code
     */
    String ask(Agent agent, String request);

    /** The cluster user the commands run as. */
    String username();
}
