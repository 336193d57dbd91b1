package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.CommandRunner;
import io.goldcrest.ssh.RemoteCommand;
import io.goldcrest.ssh.ShellQuoting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A runner that answers each command line with a captured result and records the lines it was
 * asked. Safe for the scheduler's parallel commands (squeue beside sacct).
 */
final class ReplayRunner implements CommandRunner {
    private final String username;
    private final Map<String, CommandResult> results = new HashMap<>();
    private final List<String> commandLines = Collections.synchronizedList(new ArrayList<>());

    ReplayRunner(String username, String... fixtures) {
        this.username = username;
        for (String fixture : fixtures) {
            CapturedCommand captured = CapturedCommand.slurm(fixture);
            results.put(captured.commandLine(), captured.result());
        }
    }

    @Override
    public <T> T run(RemoteCommand<T> command) {
        String line = ShellQuoting.join(command.argv());
        commandLines.add(line);
        CommandResult result = results.get(line);
        if (result == null) {
            throw new AssertionError("no captured result for " + line);
        }
        return command.parse(result);
    }

    @Override
    public <T> T files(java.util.function.Function<io.goldcrest.ssh.RemoteFiles, T> operation) {
        throw new AssertionError("Slurm commands never use SFTP");
    }

    @Override
    public String ask(io.goldcrest.ssh.Agent agent, String request) {
        throw new AssertionError("Slurm commands never use agents");
    }

    @Override
    public String username() {
        return username;
    }

    List<String> commandLines() {
        synchronized (commandLines) {
            return List.copyOf(commandLines);
        }
    }
}
