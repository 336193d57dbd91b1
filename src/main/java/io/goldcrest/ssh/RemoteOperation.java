package io.goldcrest.ssh;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One operation the pool ran on a cluster as a user, reported to {@link RemoteOperationListener}s
 * when it ends: what ran, never its arguments, input, output or file contents.
 *
 * @param kind {@code exec} (a command), {@code sftp} (file operations) or {@code agent} (a request to a kept agent)
 * @param name what ran: the command's program ({@code sbatch}, see {@link #program}), the SFTP
 *     requests made ({@code lstat+mkdir}), the agent's name
 * @param exitStatus the command's exit status; empty for SFTP and agents, and when none came back
 * @param failure the code of the error that ended the operation: a timeout or SSH failure in the pool,
 *     a refused SFTP request ({@code NO_SUCH_FILE}), or the command's failure as its parser read it; empty on success
 */
public record RemoteOperation(String cluster, String username, String kind, String name, Optional<Integer> exitStatus,
                              Optional<String> failure, Duration duration) {
    public static final String EXEC = "exec";
    public static final String SFTP = "sftp";
    public static final String AGENT = "agent";
    /** Program names are metric labels: anything unusual is reported as {@code other}, never verbatim. */
    private static final Pattern PROGRAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);

    public RemoteOperation {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(exitStatus, "exitStatus");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * The program an argument vector runs, without its directory or arguments: {@code env
     * SLURM_TIME_FORMAT=%s squeue ...} runs {@code squeue}, {@code /usr/bin/sbatch} is {@code sbatch}.
     */
    public static String program(List<String> argv) {
        int index = 0;
        if (!argv.isEmpty() && basename(argv.getFirst()).equals("env")) {
            index = 1;
            while (index < argv.size() && ASSIGNMENT.matcher(argv.get(index)).matches()) {
                index++;
            }
        }
        if (index >= argv.size()) {
            return argv.isEmpty() ? "other" : "env";
        }
        String program = basename(argv.get(index));
        return PROGRAM.matcher(program).matches() ? program : "other";
    }

    private static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
