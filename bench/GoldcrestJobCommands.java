import io.goldcrest.scheduler.HistoryWindow;
import io.goldcrest.scheduler.JobQuery;
import io.goldcrest.scheduler.slurm.SacctCommand;
import io.goldcrest.scheduler.slurm.SqueueCommand;
import io.goldcrest.ssh.ShellQuoting;
import java.util.Optional;

/**
 * The squeue and sacct command lines Goldcrest sends for each user's default job list
 * ({@code GET /compute/{system}/jobs}: own jobs, no filter, 24-hour window), made by Goldcrest's own
 * classes. bench/run.sh runs it with the server's jar on the class path
 * ({@code java -cp target/goldcrest.jar bench/GoldcrestJobCommands.java TIMEOUT USER...}) and checks
 * that the baseline's {@code --print-commands} prints the very same lines. Output: one line per user
 * and command, {@code USER TAB COMMAND-LINE}, with ClusterPool's {@code timeout -k 2 TIMEOUT} prefix.
 */
final class GoldcrestJobCommands {
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: java -cp target/goldcrest.jar bench/GoldcrestJobCommands.java TIMEOUT_SECONDS USER...");
            System.exit(2);
        }
        // ClusterPool.run: "timeout -k 2 " + command_execution in seconds + " " + ShellQuoting.join(argv)
        String prefix = "timeout -k 2 " + Long.parseLong(args[0]) + " ";
        JobQuery query = new JobQuery(false, Optional.empty(), Optional.empty(), HistoryWindow.DAY);
        for (int i = 1; i < args.length; i++) {
            String user = args[i];
            System.out.println(user + "\t" + prefix + ShellQuoting.join(SqueueCommand.of(user, query).argv()));
            System.out.println(user + "\t" + prefix + ShellQuoting.join(SacctCommand.of(query).argv()));
        }
    }
}
