package io.goldcrest.scheduler;

import io.goldcrest.ssh.CommandResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A command run once on a real cluster: the line as sent and what came back, read from the test
 * resources {@code <folder>/<name>.command}, {@code .stdout}, {@code .stderr} and {@code .exit}
 * (and {@code .stdin} where the command was fed input). Output is decoded like the SSH layer does
 * it: UTF-8 with bad bytes replaced.
 *
 * @param commandLine the exact line sent, without its trailing newline
 * @param stdin what the command read on standard input; empty when it read nothing
 */
public record CapturedCommand(String commandLine, CommandResult result, String stdin) {
    public static final String SLURM_22_05 = "slurm/22.05";
    public static final String ID = "id";

    public static CapturedCommand load(String folder, String name) {
        String base = folder + "/" + name;
        String commandLine = text(base + ".command").stripTrailing();
        int exitStatus = Integer.parseInt(text(base + ".exit").strip());
        String stdin = CapturedCommand.class.getClassLoader().getResource(base + ".stdin") == null ? "" : text(base + ".stdin");
        return new CapturedCommand(commandLine, new CommandResult(exitStatus, text(base + ".stdout"), text(base + ".stderr")), stdin);
    }

    public static CapturedCommand slurm(String name) {
        return load(SLURM_22_05, name);
    }

    private static String text(String resource) {
        try (InputStream input = CapturedCommand.class.getClassLoader().getResourceAsStream(resource)) {
            if (input == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(input.readAllBytes()))
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
