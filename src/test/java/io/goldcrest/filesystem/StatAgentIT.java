package io.goldcrest.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.goldcrest.LocalServices;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.delegation.CertificateAuthority;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandRunner;
import io.goldcrest.ssh.SshPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stat agent and the stat command FirecREST runs give the same answers on the real cluster. */
class StatAgentIT {
    private static SshPool pool;
    private static Path directory;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        GoldcrestConfig config = LocalServices.config(LocalServices.devConfigYaml());
        pool = SshPool.start(config, CertificateAuthority.load(config.delegation().orElseThrow(), Clock.systemUTC()), Clock.systemUTC());
        directory = Files.createTempDirectory(Path.of("/tmp"), "goldcrest-stat-");
        Files.writeString(directory.resolve("file"), "twelve bytes");
        Files.createSymbolicLink(directory.resolve("link"), directory.resolve("file"));
        Files.createSymbolicLink(directory.resolve("dangling"), directory.resolve("nothing"));
        Files.createDirectory(directory.resolve("private"));
        Files.writeString(directory.resolve("private/secret"), "x");
        new ProcessBuilder("chown", "-R", "-h", "alice:alice", directory.toString()).start().waitFor();
        new ProcessBuilder("chmod", "700", directory.resolve("private").toString()).start().waitFor();
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        pool.close();
        new ProcessBuilder("rm", "-rf", "--", directory.toString()).start().waitFor();
    }

    @Test
    void agentAndCommandAgree() {
        CommandRunner alice = pool.runner("cluster", "alice");
        for (String name : List.of("", "/file", "/link", "/dangling", "/private")) {
            String path = directory + name;
            for (boolean dereference : List.of(false, true)) {
                Object byAgent = outcome(() -> StatAgent.parse(alice.ask(StatAgent.AGENT, StatAgent.request(path, dereference)), path));
                Object byCommand = outcome(() -> alice.run(new StatCommand(path, dereference)));
                assertThat(byAgent).as("%s dereference=%s", path, dereference).isEqualTo(byCommand);
            }
        }
    }

    @Test
    void failuresHaveTheSameStatusAndReason() {
        CommandRunner bob = pool.runner("cluster", "bob");
        for (String path : List.of(directory + "/private/secret", directory + "/none")) {
            GoldcrestException byAgent = catchThrowableOfType(GoldcrestException.class,
                    () -> StatAgent.parse(bob.ask(StatAgent.AGENT, StatAgent.request(path, false)), path));
            GoldcrestException byCommand = catchThrowableOfType(GoldcrestException.class, () -> bob.run(new StatCommand(path, false)));
            assertThat(byAgent.code()).as(path).isEqualTo(byCommand.code());
            assertThat(byAgent.getMessage()).as(path).isEqualTo(byCommand.getMessage());
        }
    }

    /** The answer, or the failure's code and message, so both paths compare as values. */
    private static Object outcome(java.util.function.Supplier<FileStat> stat) {
        try {
            FileStat result = stat.get();
            // atime moves when the command reads; the rest must be identical.
            return new FileStat(result.mode(), result.ino(), result.dev(), result.nlink(), result.uid(), result.gid(),
                    result.size(), 0, result.mtime(), result.ctime());
        } catch (GoldcrestException e) {
            return e.code() + " " + e.getMessage();
        }
    }
}
