package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.scheduler.JobSpec;
import io.goldcrest.ssh.ShellQuoting;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sbatch command line run for real by {@code /bin/sh -c}, as sshd runs it, with a fake
 * {@code sbatch} first on PATH that records its argv, environment and standard input. Whatever the
 * user's values hold, each must reach sbatch as exactly one argument or variable, byte for byte,
 * and nothing in the job's environment may change which sbatch runs.
 */
class SbatchLauncherTest {
    private static final String HOSTILE_SCRIPT = "#!/bin/bash\n"
            + "echo \"it's $(id -un) `hostname` ${HOME}\"; rm -rf \"$TMPDIR\" # '\n"
            + "--\n"
            + "'; exit 3; '\n"
            + "\\\n"
            + "héllo ✓\n"
            + "\n\n";

    @TempDir
    Path dir;
    private Path bin;
    private Path record;
    private Path decoy;

    @BeforeEach
    void fakeSbatch() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        record = Files.createDirectories(dir.resolve("record"));
        // Absolute tools only: the job's PATH may be anything.
        executable(bin.resolve("sbatch"), "#!/bin/sh\n"
                + "printf '%s' \"$0\" > '" + record + "/program'\n"
                + "printf '%s\\0' \"$@\" > '" + record + "/argv'\n"
                + "/usr/bin/env -0 > '" + record + "/env'\n"
                + "/usr/bin/cat > '" + record + "/stdin'\n"
                + "echo 4242\n");
        Path decoys = Files.createDirectories(dir.resolve("decoys"));
        decoy = decoys.resolve("sbatch");
        executable(decoy, "#!/bin/sh\n: > '" + record + "/decoy-ran'\necho 666\n");
    }

    @Test
    void hostileOptionValuesScriptAndEnvironmentArriveByteForByte() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("GC_COMMA", "a,b,{0,1},ALL");
        environment.put("GC_QUOTES", "it's \"double\" 'single'");
        environment.put("GC_DOLLAR", "$HOME $(id) `id` ${PATH} $1 $@");
        environment.put("GC_SPACES", "  leading and trailing  ");
        environment.put("GC_NEWLINES", "line one\nline two\n");
        environment.put("GC_DASH", "--");
        environment.put("GC_OPTION", "--export=NONE");
        environment.put("GC_EQUALS", "a=b=c");
        environment.put("GC_EMPTY", "");
        environment.put("GC_UNICODE", "héllo ✓");
        environment.put("GC_SEMICOLON", "x; rm -rf / #");
        JobSpec spec = new JobSpec("/home/a b/$(id)/'q'", Optional.of(HOSTILE_SCRIPT), Optional.empty(),
                Optional.of("-J evil'; id; echo '"), Optional.of("$(id)"), Optional.of("--wrap=sleep 1"),
                Optional.of("a\\b c"), Optional.of("gpu&(a|b)"), Optional.of("-"), Optional.of("out;rm -rf ~ %j.out"),
                Optional.of("`id`.err"), environment);
        SbatchCommand command = new SbatchCommand(spec);

        Run run = run(command, bin + ":/usr/bin:/bin");

        assertThat(run.exitStatus()).as(run.stderr()).isZero();
        assertThat(command.parse(new io.goldcrest.ssh.CommandResult(run.exitStatus(), run.stdout(), run.stderr())))
                .isEqualTo("4242");
        assertThat(program()).isEqualTo(bin.resolve("sbatch").toString());
        assertThat(argv()).containsExactly("--parsable", "--export=ALL", "--chdir=/home/a b/$(id)/'q'",
                "--job-name=-J evil'; id; echo '", "--account=$(id)", "--partition=--wrap=sleep 1",
                "--reservation=a\\b c", "--constraint=gpu&(a|b)", "--input=-", "--output=out;rm -rf ~ %j.out",
                "--error=`id`.err");
        Map<String, String> received = environment();
        environment.forEach((name, value) -> assertThat(received).as(name).containsEntry(name, value));
        assertThat(Files.readAllBytes(record.resolve("stdin"))).isEqualTo(HOSTILE_SCRIPT.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The launcher's own names (s, d, a), sbatch, PATH, IFS and ENV are the job's variables like any
     * other. (IFS is not compared: the fake sbatch is a shell script, and a shell resets IFS on start.)
     */
    @Test
    void noEnvironmentEntryChangesWhichSbatchRuns() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", decoy.getParent().toString());
        environment.put("sbatch", decoy.toString());
        environment.put("s", decoy.toString());
        environment.put("d", "1");
        environment.put("a", "--");
        environment.put("IFS", "-/");
        environment.put("ENV", decoy.toString());
        SbatchCommand command = new SbatchCommand(spec(environment, Optional.empty()));

        Run run = run(command, bin + ":/usr/bin:/bin");

        assertThat(run.exitStatus()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("4242\n");
        assertThat(record.resolve("decoy-ran")).doesNotExist();
        assertThat(program()).isEqualTo(bin.resolve("sbatch").toString());
        assertThat(argv()).containsExactly("--parsable", "--export=ALL", "--chdir=/home/alice");
        Map<String, String> received = environment();
        environment.remove("IFS");
        environment.forEach((name, value) -> assertThat(received).as(name).containsEntry(name, value));
    }

    /** A script path is the one argument after {@code --}, even when it looks like an option; nothing goes on stdin. */
    @Test
    void scriptPathIsTheArgumentAfterTheSecondDoubleDash() throws Exception {
        SbatchCommand command = new SbatchCommand(spec(Map.of("GC_X", "--"), Optional.of("-x --wrap=id.sh")));

        Run run = run(command, bin + ":/usr/bin:/bin");

        assertThat(run.exitStatus()).as(run.stderr()).isZero();
        assertThat(argv()).containsExactly("--parsable", "--export=ALL", "--chdir=/home/alice", "--", "-x --wrap=id.sh");
        assertThat(environment()).containsEntry("GC_X", "--");
        assertThat(Files.readAllBytes(record.resolve("stdin"))).isEmpty();
    }

    @Test
    void noSbatchOnPathIsExit127WithSlurmsWording() throws Exception {
        Path shellOnly = Files.createDirectories(dir.resolve("shell-only"));
        Files.createSymbolicLink(shellOnly.resolve("sh"), Path.of("/bin/sh"));

        Run run = run(new SbatchCommand(spec(Map.of(), Optional.empty())), shellOnly.toString());

        assertThat(run.exitStatus()).isEqualTo(127);
        assertThat(run.stderr()).isEqualTo("sbatch: command not found\n");
        assertThat(record.resolve("argv")).doesNotExist();
    }

    private static JobSpec spec(Map<String, String> environment, Optional<String> scriptPath) {
        return new JobSpec("/home/alice", Optional.of("#!/bin/sh\ntrue\n"), scriptPath, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                environment);
    }

    private record Run(int exitStatus, String stdout, String stderr) {}

    /** The line as Goldcrest sends it, run by a shell as sshd does, the input sent and closed. */
    private Run run(SbatchCommand command, String path) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", ShellQuoting.join(command.argv()));
        builder.environment().clear();
        builder.environment().put("PATH", path);
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(command.stdin());
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), stdout, stderr);
    }

    private String program() throws IOException {
        return Files.readString(record.resolve("program"));
    }

    private List<String> argv() throws IOException {
        return nulSeparated(record.resolve("argv"));
    }

    private Map<String, String> environment() throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (String entry : nulSeparated(record.resolve("env"))) {
            int equals = entry.indexOf('=');
            environment.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
        return environment;
    }

    private static List<String> nulSeparated(Path file) throws IOException {
        String text = Files.readString(file);
        if (text.isEmpty()) {
            return List.of();
        }
        assertThat(text).endsWith("\0");
        return new ArrayList<>(Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1)));
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
