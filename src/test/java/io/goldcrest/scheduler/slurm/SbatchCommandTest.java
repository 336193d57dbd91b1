package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.scheduler.JobSpec;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** sbatch's line and input against the captured submissions, and its answers read into job ids or errors. */
class SbatchCommandTest {
    private static final String OUTPUT = "goldcrest-fixture-%j.out";
    private static final String LAUNCHER = "'sh' '-c' 's=$(command -v sbatch) || { echo '\\''sbatch: command not found'\\'' >&2; "
            + "exit 127; }; d=; for a in \"$@\"; do shift; if [ -z \"$d\" ] && [ \"$a\" = -- ]; then d=1; set -- \"$@\" \"$s\"; "
            + "else set -- \"$@\" \"$a\"; fi; done; exec env \"$@\"' 'sh'";
    private static final String POLICY = "Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)";

    static Stream<Arguments> capturedSubmissions() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("GC_PLACES", "{0,1}");
        environment.put("GC_NOTE", "it's $HOME; a,b");
        return Stream.of(
                Arguments.of("sbatch-submitted", spec("#!/bin/bash\n# goldcrest fixture: runs until cancelled\nsleep 600\n",
                        "gc-running", Optional.empty(), Optional.empty(), environment),
                        LAUNCHER + " 'GC_PLACES={0,1}' 'GC_NOTE=it'\\''s $HOME; a,b' '--' '--parsable' '--export=ALL' "
                                + "'--chdir=/home/alice' '--job-name=gc-running' '--output=goldcrest-fixture-%j.out'"),
                Arguments.of("sbatch-bad-partition", spec("#!/bin/bash\ntrue\n", "gc-rejected", Optional.empty(),
                        Optional.of("nosuch"), Map.of()),
                        LAUNCHER + " '--' '--parsable' '--export=ALL' '--chdir=/home/alice' '--job-name=gc-rejected' "
                                + "'--partition=nosuch' '--output=goldcrest-fixture-%j.out'"),
                Arguments.of("sbatch-bad-account", spec("#!/bin/bash\ntrue\n", "gc-rejected", Optional.of("nosuch"),
                        Optional.empty(), Map.of()),
                        LAUNCHER + " '--' '--parsable' '--export=ALL' '--chdir=/home/alice' '--job-name=gc-rejected' "
                                + "'--account=nosuch' '--output=goldcrest-fixture-%j.out'"),
                Arguments.of("sbatch-no-shebang", spec("true\n", "gc-rejected", Optional.empty(), Optional.empty(), Map.of()),
                        LAUNCHER + " '--' '--parsable' '--export=ALL' '--chdir=/home/alice' '--job-name=gc-rejected' "
                                + "'--output=goldcrest-fixture-%j.out'"),
                Arguments.of("sbatch-controller-down", spec("#!/bin/bash\ntrue\n", "gc-rejected", Optional.empty(),
                        Optional.empty(), Map.of()),
                        LAUNCHER + " '--' '--parsable' '--export=ALL' '--chdir=/home/alice' '--job-name=gc-rejected' "
                                + "'--output=goldcrest-fixture-%j.out'"),
                Arguments.of("sbatch-missing-script", new JobSpec("/home/alice", Optional.empty(),
                        Optional.of("/home/alice/goldcrest-no-such-script.sh"), Optional.of("gc-rejected"), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(OUTPUT),
                        Optional.empty(), Map.of()),
                        LAUNCHER + " '--' '--parsable' '--export=ALL' '--chdir=/home/alice' '--job-name=gc-rejected' "
                                + "'--output=goldcrest-fixture-%j.out' '--' '/home/alice/goldcrest-no-such-script.sh'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedSubmissions")
    void lineAndInputAreTheCapturedOnes(String fixture, JobSpec spec, String line) {
        SbatchCommand command = new SbatchCommand(spec);
        CapturedCommand captured = CapturedCommand.slurm(fixture);

        assertThat(ShellQuoting.join(command.argv())).isEqualTo(line).isEqualTo(captured.commandLine());
        assertThat(new String(command.stdin(), StandardCharsets.UTF_8)).isEqualTo(captured.stdin());
    }

    @Test
    void everyOptionHasItsOwnArgumentAndEmptyOnesAreLeftOut() {
        JobSpec spec = new JobSpec("/scratch/w", Optional.of("#!/bin/sh\n"), Optional.empty(), Optional.of("n"),
                Optional.of("proj2"), Optional.of("xfer"), Optional.of("maint"), Optional.of("gpu&ssd"), Optional.of("in.txt"),
                Optional.of(""), Optional.of("err.txt"), Map.of());

        assertThat(new SbatchCommand(spec).argv()).containsExactly("sh", "-c", SbatchCommand.LAUNCHER, "sh", "--",
                "--parsable", "--export=ALL", "--chdir=/scratch/w", "--job-name=n", "--account=proj2", "--partition=xfer",
                "--reservation=maint", "--constraint=gpu&ssd", "--input=in.txt", "--error=err.txt");
    }

    /** With a path sbatch reads no input, so script text given as well is not sent. */
    @Test
    void scriptPathWinsOverScriptText() {
        JobSpec spec = new JobSpec("/home/alice", Optional.of("#!/bin/sh\necho ignored\n"), Optional.of("/home/alice/run.sh"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of());
        SbatchCommand command = new SbatchCommand(spec);

        assertThat(command.stdin()).isEmpty();
        assertThat(command.argv()).endsWith("--", "/home/alice/run.sh");
    }

    @Test
    void submittedJobIdIsRead() {
        assertThat(parse("sbatch-submitted")).isEqualTo("76");
        assertThat(command().parse(new CommandResult(0, "76;lc\n", ""))).isEqualTo("76");
        assertThat(command().parse(new CommandResult(0, "77\n", "sbatch: warning: something\n"))).isEqualTo("77");
    }

    @Test
    void successWithoutAJobIdIsASchedulerError() {
        assertThatThrownBy(() -> command().parse(new CommandResult(0, "Submitted batch job\n", "")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unable to submit new job");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("sbatch-bad-partition",
                        "Job submission rejected: Invalid partition name specified (invalid partition specified: nosuch)"),
                Arguments.of("sbatch-bad-account",
                        "Job submission rejected: Invalid account or account/partition combination specified"),
                Arguments.of("sbatch-no-shebang", "Job submission rejected: This does not look like a batch script.  The first "
                        + "line must start with #! followed by the path to an interpreter. For instance: #!/bin/sh"),
                Arguments.of("sbatch-missing-script",
                        "Job submission rejected: Unable to open file /home/alice/goldcrest-no-such-script.sh"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedSubmissionIsJobRejectedWithSlurmsReason(String fixture, String message) {
        assertThat(CapturedCommand.slurm(fixture).result().exitStatus()).isEqualTo(1);

        assertThatThrownBy(() -> parse(fixture))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_REJECTED))
                .hasMessage(message);
    }

    /** The reason quotes the path; words in it must not make a refusal look like an unreachable scheduler. */
    @Test
    void missingScriptWhosePathReadsLikeANetworkErrorIsStillRejected() {
        CommandResult result = new CommandResult(1, "",
                "sbatch: error: Unable to open file /home/alice/reconnect-Socket-communication-timed out.sh\n");

        assertThatThrownBy(() -> command().parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_REJECTED))
                .hasMessage("Job submission rejected: Unable to open file /home/alice/reconnect-Socket-communication-timed out.sh");
    }

    @Test
    void policyVerdictIsJobLimitExceeded() {
        CommandResult result = new CommandResult(1, "", "sbatch: error: Batch job submission failed: " + POLICY + "\n");

        assertThatThrownBy(() -> command().parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_LIMIT_EXCEEDED))
                .hasMessage("Job submission rejected: accounting/QOS policy limit exceeded. " + POLICY);
    }

    @Test
    void namedQosLimitIsJobLimitExceededWithTheLimitsName() {
        CommandResult result = new CommandResult(1, "", "sbatch: error: QOSMaxSubmitJobPerUserLimit\n"
                + "sbatch: error: Batch job submission failed: " + POLICY + "\n");

        assertThatThrownBy(() -> command().parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_LIMIT_EXCEEDED))
                .hasMessage("Job submission rejected: accounting/QOS policy limit exceeded. " + POLICY
                        + " (QOSMaxSubmitJobPerUserLimit)");
    }

    @Test
    void associationGroupLimitIsJobLimitExceeded() {
        CommandResult result = new CommandResult(1, "", "sbatch: error: AssocGrpSubmitJobsLimit\n");

        assertThatThrownBy(() -> command().parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_LIMIT_EXCEEDED))
                .hasMessage("Job submission rejected: accounting/QOS policy limit exceeded. AssocGrpSubmitJobsLimit");
    }

    @Test
    void unreachableControllerIsASchedulerError() {
        assertThatThrownBy(() -> parse("sbatch-controller-down"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 "
                        + "std_err:sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)");
    }

    static Stream<Arguments> schedulerFailures() {
        return Stream.of(
                Arguments.of(1, "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation\n"),
                Arguments.of(1, "sbatch: error: Batch job submission failed: Zero Bytes were transmitted or received\n"),
                Arguments.of(1, "sbatch: error: Batch job submission failed: Communication connection failure\n"),
                Arguments.of(1, "sbatch: error: Batch job submission failed: Protocol authentication error\n"),
                Arguments.of(1, "something without sbatch's prefix\n"),
                Arguments.of(127, "sbatch: command not found\n"),
                Arguments.of(2, "sbatch: error: Invalid something\n"));
    }

    @ParameterizedTest
    @MethodSource("schedulerFailures")
    void failuresOfTheSchedulerOrTheCommandAreSchedulerErrors(int exitStatus, String stderr) {
        assertThatThrownBy(() -> command().parse(new CommandResult(exitStatus, "", stderr)))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:" + exitStatus + " std_err:" + stderr.strip());
    }

    @Test
    void longReasonIsShortened() {
        String path = "/home/alice/" + "x".repeat(300);
        CommandResult result = new CommandResult(1, "", "sbatch: error: Unable to open file " + path + "\n");

        assertThatThrownBy(() -> command().parse(result))
                .hasMessage("Job submission rejected: " + ("Unable to open file " + path).substring(0, 200) + "...");
    }

    private static SbatchCommand command() {
        return new SbatchCommand(spec("#!/bin/bash\ntrue\n", "gc-rejected", Optional.empty(), Optional.empty(), Map.of()));
    }

    private static String parse(String fixture) {
        return command().parse(CapturedCommand.slurm(fixture).result());
    }

    private static JobSpec spec(String script, String name, Optional<String> account, Optional<String> partition,
                                Map<String, String> environment) {
        return new JobSpec("/home/alice", Optional.of(script), Optional.empty(), Optional.of(name), account, partition,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(OUTPUT), Optional.empty(), environment);
    }
}
