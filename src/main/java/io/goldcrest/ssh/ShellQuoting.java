package io.goldcrest.ssh;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds remote command lines. Every argument is single-quoted, with an embedded {@code '} written
 * as {@code '\''}, so no argument can end the quote, start a new command or expand a variable,
 * whatever bytes it holds. This is the only place where command lines are assembled.
 */
public final class ShellQuoting {
    private ShellQuoting() {}

    public static String quote(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least one argument");
        }
        return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
