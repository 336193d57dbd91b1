package io.goldcrest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Commands the integration tests run on this machine as root (the JVM's user), to make fixtures and
 * to check what Goldcrest did independently of it. The cluster is this machine.
 */
public final class RootCommands {
    private RootCommands() {}

    /** Runs a command and returns its stdout; it must succeed within a minute. */
    public static byte[] run(String... argv) {
        return run(Map.of(), argv);
    }

    /** The same, with variables added to the environment. */
    public static byte[] run(Map<String, String> environment, String... argv) {
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            byte[] stdout = process.getInputStream().readAllBytes();
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("%s failed: %s", List.of(argv), stderr).isZero();
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A bash script with positional parameters (never interpolated); its stdout. */
    public static String sh(String script, String... args) {
        String[] argv = Stream.concat(Stream.of("bash", "-c", script, "it"), Stream.of(args)).toArray(String[]::new);
        return new String(run(argv), StandardCharsets.UTF_8);
    }

    /** A Slurm command of the local cluster, as root. */
    public static byte[] slurm(String... argv) {
        return run(Map.of("SLURM_CONF", LocalServices.clusterDirectory().resolve("slurm/slurm.conf").toString()), argv);
    }
}
