package io.goldcrest.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.FileNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LsCommandTest {
    /** Real output of `ls -R` on Debian 12 (coreutils 9.1), the command line on the first line. */
    private static String capture(String name) throws IOException {
        try (InputStream in = LsCommandTest.class.getResourceAsStream("/coreutils/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.substring(text.indexOf('\n') + 1);
        }
    }

    @Test
    void recursiveListingNamesSubEntriesRelativeToTheListedDirectory() throws IOException {
        List<FileEntry> entries = LsCommand.parse(capture("ls-recursive.txt"));
        assertThat(entries).extracting(FileEntry::name).containsExactly("-rf", ".hidden", "back\\slash", "broken",
                FileNames.fromBytes(new byte[] {'c', 'a', 'f', (byte) 0xE9}), "dq\"x", "link", "new\nline", "plain",
                "quote'd", "sub", "tab\tx", "with space", "sub/deeper", "sub/deeper/f");
    }

    @Test
    void fieldsAreReadAsFirecrestReturnsThem() throws IOException {
        List<FileEntry> entries = LsCommand.parse(capture("ls-recursive.txt"));
        FileEntry plain = entries.stream().filter(entry -> entry.name().equals("plain")).findFirst().orElseThrow();
        assertThat(plain).isEqualTo(new FileEntry("plain", "-", Optional.empty(), "root", "root", "rwsr-xr-x",
                "2024-03-15T11:33:15", "0"));
        FileEntry sticky = entries.stream().filter(entry -> entry.name().equals("sub")).findFirst().orElseThrow();
        assertThat(sticky.type()).isEqualTo("d");
        assertThat(sticky.permissions()).isEqualTo("rwxrwxrwt");
        assertThat(sticky.size()).isEqualTo("4096");
        FileEntry link = entries.stream().filter(entry -> entry.name().equals("link")).findFirst().orElseThrow();
        assertThat(link.type()).isEqualTo("l");
        assertThat(link.linkTarget()).contains("with space");
    }

    @Test
    void cEscapesBecomeTheBytesTheyStandFor() {
        assertThat(LsCommand.unquote("\"a\\\\b\\\"c\\n\\t\\351\\001\"", new int[] {0}))
                .isEqualTo(FileNames.fromBytes(new byte[] {'a', '\\', 'b', '"', 'c', '\n', '\t', (byte) 0xE9, 1}));
    }

    @Test
    void unreadableEntriesAndTotalsAreSkipped() {
        String output = "total 0\nl????????? ? ? ? ?            ? \"gone\"\n-rw-r--r-- 1 1001 1001 3 2026-01-02T03:04:05 \"x\"\n";
        assertThat(LsCommand.parse(output)).extracting(FileEntry::name, FileEntry::user).containsExactly(
                org.assertj.core.groups.Tuple.tuple("x", "1001"));
    }

    @Test
    void argvPutsThePathAfterTheEndOfOptions() {
        LsCommand command = new LsCommand("-rf", new LsCommand.Options(true, true, true, true, false));
        assertThat(command.argv()).containsExactly("env", "LC_ALL=C", "ls", "-l", "--quoting-style=c",
                "--time-style=+%Y-%m-%dT%H:%M:%S", "-A", "--numeric-uid-gid", "-R", "-L", "--", "-rf");
    }

    @Test
    void failuresAreClassifiedByTheirStderr() {
        LsCommand command = new LsCommand("/x", LsCommand.Options.SINGLE);
        assertThatThrownBy(() -> command.parse(new CommandResult(2, "", "ls: cannot access '/x': No such file or directory\n")))
                .isInstanceOf(GoldcrestException.class)
                .hasMessage("Remote process failed with exit status:2 and error message:ls: cannot access '/x': No such file or directory")
                .extracting(error -> ((GoldcrestException) error).code()).isEqualTo(ErrorCode.PATH_NOT_FOUND);
    }
}
