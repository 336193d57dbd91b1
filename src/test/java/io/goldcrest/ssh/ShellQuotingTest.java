package io.goldcrest.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuotingTest {
    @Test
    void quotesEveryArgument() {
        assertThat(ShellQuoting.join(List.of("ls", "-l", "--", "/home/alice"))).isEqualTo("'ls' '-l' '--' '/home/alice'");
    }

    @Test
    void hostileInputStaysOneArgument() {
        assertThat(ShellQuoting.quote("a'b")).isEqualTo("'a'\\''b'");
        assertThat(ShellQuoting.quote("x; rm -rf / #")).isEqualTo("'x; rm -rf / #'");
        assertThat(ShellQuoting.quote("$(id)`id`${HOME}")).isEqualTo("'$(id)`id`${HOME}'");
        assertThat(ShellQuoting.quote("line\nnext")).isEqualTo("'line\nnext'");
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
    }

    /** The quoted form, read back by a real POSIX shell, is the original argument byte for byte. */
    @Test
    void aRealShellReadsBackTheSameArguments() throws Exception {
        List<String> hostile = List.of("a'b", "'; id; '", "$(id)", "line\nnext", "-n", "\\", "\"", "*", "");
        String script = "for a in " + ShellQuoting.join(hostile) + "; do printf '%s\\0' \"$a\"; done";
        Process process = new ProcessBuilder("/bin/sh", "-c", script).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).isZero();
        // Each argument is printed NUL-terminated, so the last split element is empty.
        List<String> readBack = List.of(output.split("\0", -1));
        assertThat(readBack.subList(0, readBack.size() - 1)).isEqualTo(hostile);
    }

    /** Non-UTF-8 bytes of a file name reach the shell as exactly those bytes, next to quotes and newlines. */
    @Test
    void aRealShellReadsBackRawBytes() throws Exception {
        byte[] raw = {'a', (byte) 0xFF, '\'', (byte) 0xC3, '\n', (byte) 0xE9, '$', '(', 'i', 'd', ')', (byte) 0x80};
        String name = FileNames.fromBytes(raw);
        String script = "printf '%s' " + ShellQuoting.quote(name);
        Process process = new ProcessBuilder("/bin/sh", "-c", script).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).isZero();
        assertThat(output).isEqualTo(raw);
        assertThat(ShellQuoting.quote(FileNames.fromBytes(new byte[] {(byte) 0xFF}))).isEqualTo("\"$(printf '\\377')\"");
    }

    @Test
    void emptyCommandIsRefused() {
        assertThatThrownBy(() -> ShellQuoting.join(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
