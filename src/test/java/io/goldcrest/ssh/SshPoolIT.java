package io.goldcrest.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.LocalServices;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.delegation.CertificateAuthority;
import io.goldcrest.delegation.StaticKeys;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool against the real OpenSSH server of the local cluster, logging in with certificates from our CA. */
class SshPoolIT {
    private SshPool pool;

    /** Any command line; its result is returned as is, so tests can assert on exit status and output. */
    private record Shell(List<String> argv) implements RemoteCommand<CommandResult> {
        Shell(String... argv) {
            this(List.of(argv));
        }

        @Override
        public CommandResult parse(CommandResult result) {
            return result;
        }
    }

    private SshPool startPool(String yaml) {
        GoldcrestConfig config = LocalServices.config(yaml);
        pool = SshPool.start(config, CertificateAuthority.load(config.delegation().orElseThrow(), Clock.systemUTC()), Clock.systemUTC());
        return pool;
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void runsCommandsAsTheRequestingUser() {
        startPool(LocalServices.devConfigYaml());
        CommandResult alice = pool.runner("cluster", "alice").run(new Shell("id", "-un"));
        CommandResult bob = pool.runner("cluster", "bob").run(new Shell("id", "-un"));

        assertThat(alice).isEqualTo(new CommandResult(0, "alice\n", ""));
        assertThat(bob).isEqualTo(new CommandResult(0, "bob\n", ""));
        assertThat(pool.connectionCount("cluster")).isEqualTo(2);
    }

    @Test
    void quotedArgumentsReachTheRemoteCommandIntact() {
        startPool(LocalServices.devConfigYaml());
        String hostile = "it's; $(id) `id` \"x\" \n*";
        CommandResult result = pool.runner("cluster", "alice").run(new Shell("printf", "%s", hostile));
        assertThat(result.stdout()).isEqualTo(hostile);
    }

    /** Input reaches the command byte for byte, through no shell. */
    @Test
    void inputReachesTheCommandIntact() {
        startPool(LocalServices.devConfigYaml());
        String input = "#!/bin/sh\necho 'it''s' $(id) \"x\"\n\u00e9\n";
        CommandResult result = pool.runner("cluster", "alice").run(new Piped(List.of("cat"), input.getBytes(StandardCharsets.UTF_8)));
        assertThat(result).isEqualTo(new CommandResult(0, input, ""));
    }

    /**
     * A command that ends without reading its input closes the channel under the write: its exit
     * status is the answer, not an SSH failure. (Under load this hit even empty input, as 424s.)
     */
    @Test
    void aCommandThatEndsBeforeReadingItsInputStillSucceeds() {
        startPool(LocalServices.devConfigYaml());
        byte[] large = new byte[8 * 1024 * 1024];
        CommandRunner alice = pool.runner("cluster", "alice");
        for (int i = 0; i < 5; i++) {
            assertThat(alice.run(new Piped(List.of("true"), large))).isEqualTo(new CommandResult(0, "", ""));
            assertThat(alice.run(new Piped(List.of("sh", "-c", "exit 3"), large)).exitStatus()).isEqualTo(3);
        }
    }

    /** A command given bytes on its standard input. */
    private record Piped(List<String> argv, byte[] stdin) implements RemoteCommand<CommandResult> {
        @Override
        public CommandResult parse(CommandResult result) {
            return result;
        }
    }

    /** An agent answers line after line on one kept channel, as the requesting user. */
    @Test
    void agentsAnswerRequestsOnAKeptChannel() {
        startPool(LocalServices.devConfigYaml());
        Agent echo = new Agent("echo", List.of("sh", "-c", "while read -r line; do echo \"$(id -un):$line\"; done"));
        CommandRunner alice = pool.runner("cluster", "alice");
        assertThat(alice.ask(echo, "one")).isEqualTo("alice:one");
        assertThat(alice.ask(echo, "two; $(id)")).isEqualTo("alice:two; $(id)");
        assertThat(pool.runner("cluster", "bob").ask(echo, "three")).isEqualTo("bob:three");
    }

    /** An agent that cannot run (missing interpreter) is reported as such, so callers can fall back. */
    @Test
    void anAgentThatEndsIsAnAgentException() {
        startPool(LocalServices.devConfigYaml());
        Agent missing = new Agent("missing", List.of("goldcrest-no-such-interpreter", "-e", "x"));
        assertThatThrownBy(() -> pool.runner("cluster", "alice").ask(missing, "request"))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("exit status 127");
    }

    /** An agent that stops answering is cut after the command time limit: 408, and the channel is not reused. */
    @Test
    void aSilentAgentTimesOut() {
        startPool(LocalServices.devConfigYaml().replace("command_execution: 5", "command_execution: 1"));
        Agent silent = new Agent("silent", List.of("sh", "-c", "while read -r line; do sleep 30; done"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.runner("cluster", "alice").ask(silent, "x"))
                .isInstanceOfSatisfying(GoldcrestException.class, error -> assertThat(error.code()).isEqualTo(ErrorCode.COMMAND_TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    /** SFTP reads and writes names as raw bytes: a non-UTF-8 name is created and listed back exactly. */
    @Test
    void sftpKeepsNonUtf8NamesByteForByte() throws IOException, InterruptedException {
        startPool(LocalServices.devConfigYaml());
        String directory = "/tmp/goldcrest-sftp-" + System.nanoTime();
        String name = FileNames.fromBytes(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n', '\''});
        CommandRunner alice = pool.runner("cluster", "alice");
        List<String> names = alice.files(files -> {
            files.mkdir(directory);
            files.write(directory + "/" + name, new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
            List<String> listed = new ArrayList<>();
            files.list(directory, entry -> listed.add(entry.name()));
            return listed;
        });
        assertThat(names).containsExactly(name);
        // Java's own file API would decode the name; find prints its raw bytes.
        Process find = new ProcessBuilder("find", directory, "-mindepth", "1", "-printf", "%f").start();
        assertThat(find.getInputStream().readAllBytes()).isEqualTo(FileNames.toBytes(name));
        assertThat(alice.files(files -> files.stat(directory + "/" + name)).size()).isEqualTo(3);
        alice.run(new Shell("rm", "-r", "--", directory));
    }

    @Test
    void reportsExitStatusAndStderr() {
        startPool(LocalServices.devConfigYaml());
        CommandResult result = pool.runner("cluster", "alice").run(new Shell("ls", "--", "/no/such/path"));
        assertThat(result.exitStatus()).isEqualTo(2);
        assertThat(result.stderr()).contains("No such file or directory");
        // A command reading stdin gets EOF at once instead of hanging.
        assertThat(pool.runner("cluster", "alice").run(new Shell("cat")).exitStatus()).isZero();
    }

    @Test
    void manyConcurrentCommandsShareOneConnectionPerUser() throws Exception {
        startPool(LocalServices.devConfigYaml());
        List<Future<CommandResult>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                String user = i % 2 == 0 ? "alice" : "bob";
                results.add(threads.submit(() -> pool.runner("cluster", user).run(new Shell("id", "-un"))));
            }
        }
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get().stdout()).isEqualTo(i % 2 == 0 ? "alice\n" : "bob\n");
        }
        assertThat(pool.connectionCount("cluster")).isEqualTo(2);
    }

    @Test
    void aSlowCommandIsStoppedAtTheTimeLimit() {
        startPool(LocalServices.devConfigYaml().replace("command_execution: 5", "command_execution: 1"));
        Instant start = Instant.now();
        assertThatThrownBy(() -> pool.runner("cluster", "alice").run(new Shell("sleep", "30")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.COMMAND_TIMEOUT));
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
        // The connection stays usable for the next command.
        assertThat(pool.runner("cluster", "alice").run(new Shell("true")).exitStatus()).isZero();
    }

    @Test
    void outputBeyondTheCapIsRefused() {
        startPool(LocalServices.devConfigYaml().replace("max_ops_file_size: 5242880", "max_ops_file_size: 4096"));
        assertThatThrownBy(() -> pool.runner("cluster", "alice").run(new Shell("head", "-c", "100000", "/dev/zero")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OUTPUT_TOO_LARGE);
                    assertThat(e.getMessage()).isEqualTo("Command output exceeded buffer limit.");
                });
        assertThat(pool.runner("cluster", "alice").run(new Shell("head", "-c", "100", "/dev/zero")).stdout()).hasSize(100);
    }

    @Test
    void aConnectionBrokenOnTheServerSideIsReplaced() throws Exception {
        startPool(LocalServices.devConfigYaml());
        CommandRunner bob = pool.runner("cluster", "bob");
        // Our own login shell's parent is the per-connection sshd process: end it, as a dropped link would.
        String sshdPid = bob.run(new Shell("sh", "-c", "ps -o ppid= -p $PPID")).stdout().trim();
        assertThat(sshdPid).matches("\\d+");
        // The kill takes down the connection its own command runs on.
        assertThatThrownBy(() -> bob.run(new Shell("kill", "-TERM", sshdPid)))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SSH_CONNECTION_FAILED);
                    assertThat(e.getMessage()).isEqualTo("SSH connection Reset.");
                });

        CommandResult after = null;
        for (int attempt = 0; attempt < 3 && after == null; attempt++) {
            try {
                after = bob.run(new Shell("id", "-un"));
            } catch (GoldcrestException e) {
                // The kill races with the next channel open; the pool must recover by the next call.
                assertThat(e.code()).isIn(ErrorCode.SSH_CHANNEL_FAILED, ErrorCode.SSH_CONNECTION_FAILED);
            }
        }
        assertThat(after).isNotNull();
        assertThat(after.stdout()).isEqualTo("bob\n");
    }

    @Test
    void idleConnectionsAreClosedAndReopenedOnDemand() {
        startPool(LocalServices.devConfigYaml());
        pool.runner("cluster", "alice").run(new Shell("true"));
        assertThat(pool.closeIdle(Instant.now())).isZero();
        assertThat(pool.closeIdle(Instant.now().plus(Duration.ofSeconds(61)))).isEqualTo(1);
        assertThat(pool.connectionCount("cluster")).isZero();
        assertThat(pool.runner("cluster", "alice").run(new Shell("id", "-un")).stdout()).isEqualTo("alice\n");
    }

    @Test
    void anUnexpectedHostKeyIsRefused() throws Exception {
        Path other = Files.createTempDirectory("hostkey").resolve("key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).start();
        assertThat(keygen.waitFor()).isZero();
        String[] parts = Files.readString(Path.of(other + ".pub")).split("\\s+");
        startPool(LocalServices.devConfigYaml().replace(LocalServices.hostKey(), parts[0] + " " + parts[1]));

        assertThatThrownBy(() -> pool.runner("cluster", "alice").run(new Shell("true")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SSH_HOST_KEY_REJECTED);
                    assertThat(e.getMessage()).contains("host key");
                });
    }

    @Test
    void anUnreachableLoginNodeIsReportedWithoutItsAddress() {
        // Port 1 on loopback: nothing listens, so the connection is refused at once.
        startPool(LocalServices.devConfigYaml().replace("port: 2222", "port: 1"));
        assertThatThrownBy(() -> pool.runner("cluster", "alice").run(new Shell("true")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SSH_CONNECTION_FAILED);
                    assertThat(e.getMessage()).isEqualTo("Unable to establish SSH connection.");
                    assertThat(e.causedBy()).containsExactly("connection refused");
                });
    }

    @Test
    void staticKeysLogInToo() throws IOException {
        Path keys = LocalServices.clusterDirectory().resolve("ssh/keys");
        String yaml = LocalServices.devConfigYaml()
                .replaceAll("(?s)  delegation:.*?renew_before: 2m\n", "")
                + "ssh_credentials:\n  type: SSHStaticKeys\n  keys:\n    alice: {private_key: \"secret_file:" + keys.resolve("alice") + "\"}\n";
        GoldcrestConfig config = LocalServices.config(yaml);
        assertThat(config.delegation()).isEmpty();
        pool = SshPool.start(config, StaticKeys.load(config.staticKeys().orElseThrow()), Clock.systemUTC());

        assertThat(pool.runner("cluster", "alice").run(new Shell("id", "-un")).stdout()).isEqualTo("alice\n");
        assertThatThrownBy(() -> pool.runner("cluster", "bob").run(new Shell("true")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NO_SSH_CREDENTIALS);
                    assertThat(e.getMessage()).isEqualTo("No SSH credentials are configured for user bob");
                });
    }
}
