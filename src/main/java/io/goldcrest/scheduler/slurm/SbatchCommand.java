package io.goldcrest.scheduler.slurm;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.JobSpec;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sbatch}: the script text goes on standard input (never through a shell), a script path
 * as the one argument after {@code --}.
 *
 * <p>The environment is not passed in {@code --export=ALL,K=V}: Slurm splits that list at every
 * comma, so a value such as {@code OMP_PLACES={0,1}} would be cut. A fixed {@code sh} program
 * instead finds sbatch first (a {@code PATH} in the environment must not change which sbatch
 * runs), puts its path in place of the first {@code --} and execs {@code env K=V... /path/sbatch
 * ...} with {@code --export=ALL}, which hands the job the whole environment. The {@code K=V}
 * arguments never become shell variables of the program, so none of them (not even one named
 * {@code sbatch}) can change what it runs.
 */
public final class SbatchCommand implements RemoteCommand<String> {
    static final String LAUNCHER = "s=$(command -v sbatch) || { echo 'sbatch: command not found' >&2; exit 127; }; "
            + "d=; for a in \"$@\"; do shift; if [ -z \"$d\" ] && [ \"$a\" = -- ]; then d=1; set -- \"$@\" \"$s\"; "
            + "else set -- \"$@\" \"$a\"; fi; done; exec env \"$@\"";
    private static final Pattern PARSABLE_ID = Pattern.compile("(?m)^(\\d+)(?:;\\S*)?\\s*$");
    // slurmctld's verdict for every QOS or association limit (ESLURM_ACCOUNTING_POLICY), and the
    // limit's own name (QOSMaxSubmitJobPerUserLimit, AssocGrpSubmitJobsLimit...) that sbatch prints before it.
    private static final Pattern POLICY_LIMIT = Pattern.compile(
            "Job violates accounting/QOS policy|\\b(QOS|Assoc)(Max|Min|Grp)\\w*Limit\\b", Pattern.CASE_INSENSITIVE);
    // Failures of the scheduler itself, not of what was asked: those stay 500. Whole phrases of
    // Slurm's messages, since the reason also quotes what was asked (a script path such as
    // /home/alice/reconnect.sh must not turn a missing file into a scheduler failure).
    private static final Pattern UNAVAILABLE = Pattern.compile(
            "Unable to contact slurm controller|Unable to connect|Socket timed out|Zero Bytes were transmitted"
                    + "|Communication \\w+ failure|Connection refused|Connection timed out|temporarily unavailable"
                    + "|temporarily unable|Unable to resolve|Protocol authentication error",
            Pattern.CASE_INSENSITIVE);
    private static final String ERROR_PREFIX = "sbatch: error: ";
    private static final String SUBMISSION_FAILED = "Batch job submission failed:";

    private final JobSpec spec;

    public SbatchCommand(JobSpec spec) {
        this.spec = spec;
    }

    /** The launcher is a shell; sbatch is what it runs. */
    @Override
    public String name() {
        return "sbatch";
    }

    @Override
    public List<String> argv() {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", LAUNCHER, "sh"));
        spec.environment().forEach((name, value) -> argv.add(name + "=" + value));
        argv.add("--");
        argv.add("--parsable");
        argv.add("--export=ALL");
        argv.add("--chdir=" + spec.workingDirectory());
        option(argv, "--job-name=", spec.name());
        option(argv, "--account=", spec.account());
        option(argv, "--partition=", spec.partition());
        option(argv, "--reservation=", spec.reservation());
        option(argv, "--constraint=", spec.constraints());
        option(argv, "--input=", spec.standardInput());
        option(argv, "--output=", spec.standardOutput());
        option(argv, "--error=", spec.standardError());
        spec.scriptPath().ifPresent(path -> {
            argv.add("--");
            argv.add(path);
        });
        return List.copyOf(argv);
    }

    private static void option(List<String> argv, String option, Optional<String> value) {
        value.filter(text -> !text.isEmpty()).ifPresent(text -> argv.add(option + text));
    }

    /** With a script path sbatch reads no input, so the text (if any) is not sent. */
    @Override
    public byte[] stdin() {
        if (spec.scriptPath().isPresent()) {
            return new byte[0];
        }
        return spec.script().orElse("").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws GoldcrestException {@code JOB_LIMIT_EXCEEDED} for a QOS or association limit,
     *     {@code JOB_REJECTED} when Slurm refused what was asked (partition, account, script...),
     *     {@code SCHEDULER_ERROR} when Slurm could not be reached or printed no job id
     */
    @Override
    public String parse(CommandResult result) {
        if (result.succeeded()) {
            Matcher id = PARSABLE_ID.matcher(result.stdout());
            if (id.find()) {
                return id.group(1);
            }
            throw new GoldcrestException(ErrorCode.SCHEDULER_ERROR, "Unable to submit new job");
        }
        String reason = reason(result.stderr());
        if (POLICY_LIMIT.matcher(result.stderr()).find()) {
            throw new GoldcrestException(ErrorCode.JOB_LIMIT_EXCEEDED,
                    "Job submission rejected: accounting/QOS policy limit exceeded. " + reason);
        }
        if (result.exitStatus() == 1 && !reason.isEmpty() && !UNAVAILABLE.matcher(reason).find()) {
            throw new GoldcrestException(ErrorCode.JOB_REJECTED, "Job submission rejected: " + reason);
        }
        throw SlurmOutput.unexpectedExit(result);
    }

    /**
     * Slurm's reason: the text of {@code Batch job submission failed:} (slurmctld's verdict), with
     * sbatch's own earlier lines in parentheses; otherwise sbatch's lines, whose wrapped sentences
     * read on with a space.
     */
    private static String reason(String stderr) {
        List<String> lines = new ArrayList<>();
        String verdict = null;
        for (String line : SlurmOutput.lines(stderr)) {
            String text = line.strip();
            if (!text.startsWith(ERROR_PREFIX)) {
                continue;
            }
            text = text.substring(ERROR_PREFIX.length()).strip();
            if (text.startsWith(SUBMISSION_FAILED)) {
                verdict = text.substring(SUBMISSION_FAILED.length()).strip();
            } else {
                lines.add(text);
            }
        }
        String detail = String.join(" ", lines);
        if (verdict == null) {
            return SlurmOutput.shorten(detail);
        }
        return SlurmOutput.shorten(detail.isEmpty() ? verdict : verdict + " (" + detail + ")");
    }
}
