package io.goldcrest.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Argument vectors with hostile input, and the parsing of each command's output. */
class FileCommandsTest {
    private static final String HOSTILE = "-x'; rm -rf ~ #$(id)`id`\n";

    @Test
    void everyCommandKeepsAHostilePathOneArgumentAfterTheEndOfOptions() {
        assertThat(new HeadCommand(HOSTILE, true, 5, true).argv()).endsWith("--bytes=-5", "--", HOSTILE);
        assertThat(new TailCommand(HOSTILE, false, 3, true).argv()).endsWith("--lines=+3", "--", HOSTILE);
        assertThat(new ChecksumCommand(HOSTILE).argv()).endsWith("sha256sum", "--", HOSTILE);
        assertThat(new FileTypeCommand(HOSTILE).argv()).endsWith("file", "-b", "--", HOSTILE);
        assertThat(new StatCommand(HOSTILE, true).argv()).endsWith("--dereference", "-c", StatCommand.FORMAT, "--", HOSTILE);
        assertThat(new ChmodCommand(HOSTILE, "-w").argv()).endsWith("chmod", "--", "-w", HOSTILE);
        assertThat(new ChownCommand(HOSTILE, "bob", "").argv()).endsWith("chown", "--", "bob", HOSTILE);
        assertThat(new ChownCommand(HOSTILE, "", "grp").argv()).endsWith("chown", "--", ":grp", HOSTILE);
        assertThat(new ChownCommand(HOSTILE, "", "").argv()).endsWith("chown", "--", ":", HOSTILE);
        assertThat(new RemoveCommand(HOSTILE).argv()).endsWith("rm", "-r", "--interactive=never", "--", HOSTILE);
        assertThat(new Base64Command(HOSTILE).argv()).endsWith("--", HOSTILE);
        assertThat(new DdCommand(HOSTILE, 7, 9).argv()).contains("if=" + HOSTILE, "skip=7", "count=9");
        assertThat(new ExtractCommand("/a/" + HOSTILE, "/b", Compression.XZ).argv())
                .endsWith("tar", "-xJf", "/a/" + HOSTILE, "-C", "/b");
        // The command line quotes each argument whole: no part of the path is left to the shell.
        assertThat(ShellQuoting.join(new RemoveCommand(HOSTILE).argv())).endsWith("'--' '-x'\\''; rm -rf ~ #$(id)`id`\n'");
    }

    @Test
    void moveCopyAndUnzipKeepHostilePathsWhole() {
        assertThat(new MoveCommand("/a/" + HOSTILE, "/b/" + HOSTILE).argv()).endsWith("mv", "--force", "--", "/a/" + HOSTILE, "/b/" + HOSTILE);
        assertThat(new CopyCommand("/a/" + HOSTILE, "/b").argv())
                .endsWith("cp", "--force", "-dR", "--preserve=all", "--", "/a/" + HOSTILE, "/b");
        assertThat(new UnzipCommand("/a/" + HOSTILE, "/b/" + HOSTILE).argv())
                .endsWith("unzip", "-o", "-q", "/a/" + HOSTILE, "-d", "/b/" + HOSTILE);
        // unzip takes no "--": a relative path could pass for an option, so only absolute ones are accepted.
        assertThatThrownBy(() -> new UnzipCommand("-x.zip", "/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnzipCommand("/a.zip", "-d")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unzipWarningsAreSuccessAndItsStdoutComplaintsFailures() {
        UnzipCommand unzip = new UnzipCommand("/a.zip", "/b");
        assertThat(unzip.parse(new CommandResult(1, "", "warning: skipped \"../\" path component(s) in ../x\n"))).isNull();
        assertThatThrownBy(() -> unzip.parse(new CommandResult(9, "unzip:  cannot find or open /a.zip, /a.zip.zip or /a.zip.ZIP.\n", "")))
                .hasMessage("Remote process failed with exit status:9 and error message:unzip:  cannot find or open /a.zip, /a.zip.zip or /a.zip.ZIP.");
        assertThatThrownBy(() -> new MoveCommand("/a", "/b").parse(new CommandResult(1, "", "mv: cannot stat '/a': No such file or directory\n")))
                .extracting(error -> ((GoldcrestException) error).code()).isEqualTo(ErrorCode.PATH_NOT_FOUND);
    }

    @Test
    void compressArchivesRelativeToTheParentAndPassesPatternValuesAsParameters() {
        CompressCommand plain = new CompressCommand("/home/a/-dir/", "/home/a/out.tgz", Optional.empty(), true, Compression.GZIP);
        assertThat(plain.argv()).endsWith("tar", "--dereference", "-czf", "/home/a/out.tgz", "-C", "/home/a", "--", "-dir");
        CompressCommand pattern = new CompressCommand("/home/a/d", "/home/a/o.tar", Optional.of(".*'$(id)"), false, Compression.NONE);
        assertThat(pattern.argv()).containsSubsequence("sh", "-c").endsWith("goldcrest-compress", "/home/a", "d", ".*'$(id)",
                "/home/a/o.tar", "", "");
        assertThat(pattern.argv().get(4)).doesNotContain("$(id)");
    }

    @Test
    void checksumIgnoresTheEscapeMarkOfOddFileNames() {
        String hash = "4a1e67f2fe1d1cc7b31d0ca2ec441da4778203a036a77da10344c85e24ff0f92";
        assertThat(new ChecksumCommand("/a\nb").parse(new CommandResult(0, "\\" + hash + "  /a\\nb\n", ""))).isEqualTo(hash);
        assertThat(new ChecksumCommand("/a").parse(new CommandResult(0, hash + "  /a\n", ""))).isEqualTo(hash);
        assertThatThrownBy(() -> new ChecksumCommand("/a").parse(new CommandResult(0, "garbage\n", "")))
                .hasMessage("Invalid output: garbage");
    }

    @Test
    void statReadsTheHexModeAndTheNineNumbers() {
        FileStat stat = new StatCommand("/a", false).parse(new CommandResult(0,
                "81a4 2299756 76 1 0 0 27 1729771818 1729676630 1729676631\n", ""));
        assertThat(stat).isEqualTo(new FileStat(33188, 2299756, 76, 1, 0, 0, 27, 1729771818, 1729676630, 1729676631));
    }

    @Test
    void statAgentAnswersAsTheStatCommandWould() {
        assertThat(StatAgent.request("/a b\u00e9", true)).isEqualTo("S 2f612062c3a9");
        assertThat(StatAgent.parse("OK 33188 2299756 76 1 0 0 27 1729771818 1729676630 1729676631", "/a"))
                .isEqualTo(new FileStat(33188, 2299756, 76, 1, 0, 0, 27, 1729771818, 1729676630, 1729676631));
        assertThatThrownBy(() -> StatAgent.parse("ERR 2 No such file or directory", "/a"))
                .hasMessage("Remote process failed with exit status:1 and error message:stat: cannot statx '/a': No such file or directory")
                .extracting(error -> ((GoldcrestException) error).code()).isEqualTo(ErrorCode.PATH_NOT_FOUND);
        assertThatThrownBy(() -> StatAgent.parse("ERR 13 Permission denied", "/a"))
                .extracting(error -> ((GoldcrestException) error).code()).isEqualTo(ErrorCode.PATH_PERMISSION_DENIED);
    }

    @Test
    void headAndTailReportFirecrestPositions() {
        CommandResult ok = new CommandResult(0, "1\n2\n", "");
        assertThat(new HeadCommand("/a", false, 10, false).parse(ok)).isEqualTo(new Content("1\n2\n", "lines", 0, 10));
        assertThat(new HeadCommand("/a", true, 4, true).parse(ok)).isEqualTo(new Content("1\n2\n", "bytes", 0, -4));
        assertThat(new TailCommand("/a", false, 2, false).parse(ok)).isEqualTo(new Content("1\n2\n", "lines", -2, -1));
        assertThat(new TailCommand("/a", false, 2, true).parse(ok)).isEqualTo(new Content("1\n2\n", "lines", 2, -1));
    }

    @Test
    void stderrPhrasesPickTheStatus() {
        assertThat(Failures.of(1, "chown: invalid user: 'nobody2'").code()).isEqualTo(ErrorCode.PATH_CONFLICT);
        assertThat(Failures.of(1, "mkdir: cannot create directory '/a': File exists").code()).isEqualTo(ErrorCode.PATH_CONFLICT);
        assertThat(Failures.of(1, "chmod: changing permissions of '/a': Operation not permitted").code())
                .isEqualTo(ErrorCode.PATH_PERMISSION_DENIED);
        assertThat(Failures.of(1, "tar: something else").code()).isEqualTo(ErrorCode.REMOTE_COMMAND_FAILED);
        assertThat(Failures.of(1, "").getMessage()).isEqualTo("Remote process failed with exit status:1");
    }
}
