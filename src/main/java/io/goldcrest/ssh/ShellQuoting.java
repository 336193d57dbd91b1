package io.goldcrest.ssh;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds remote command lines. Every argument is single-quoted, with an embedded {@code '} written
 * as {@code '\''}, so no argument can end the quote, start a new command or expand a variable,
 * whatever it holds. Raw non-UTF-8 bytes of a file name ({@link FileNames}) cannot travel in the
 * UTF-8 exec request, so each is written as {@code "$(printf '\ooo')"}, which POSIX shells expand to
 * exactly that byte. This is the only place where command lines are assembled.
 */
public final class ShellQuoting {
    private ShellQuoting() {}

    public static String quote(String argument) {
        StringBuilder out = new StringBuilder(argument.length() + 2);
        boolean open = false;
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (FileNames.isEscapedByteAt(argument, i)) {
                if (open) {
                    out.append('\'');
                    open = false;
                }
                out.append("\"$(printf '\\").append(Integer.toOctalString(c - 0xDC00)).append("')\"");
                continue;
            }
            if (!open) {
                out.append('\'');
                open = true;
            }
            if (c == '\'') {
                out.append("'\\''");
            } else {
                out.append(c);
            }
        }
        if (open || out.isEmpty()) {
            out.append(open ? "'" : "''");
        }
        return out.toString();
    }

    public static String join(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least one argument");
        }
        return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
