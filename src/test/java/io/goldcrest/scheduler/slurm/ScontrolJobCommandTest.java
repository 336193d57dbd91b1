package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScontrolJobCommandTest {
    @Test
    void commandLinesAreTheCapturedOnes() {
        assertThat(ShellQuoting.join(new ScontrolJobCommand("79").argv()))
                .isEqualTo("'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' 'show' '-o' 'job' '79'")
                .isEqualTo(CapturedCommand.slurm("scontrol-job-array").commandLine());
        assertThat(ShellQuoting.join(new ScontrolJobCommand("999999").argv()))
                .isEqualTo(CapturedCommand.slurm("scontrol-job-unknown").commandLine())
                .isEqualTo(CapturedCommand.slurm("scontrol-job-controller-down").commandLine());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "79_1", "79 80", "-o", "79;id"})
    void jobIdThatIsNotLettersAndDigitsIsRefused(String jobId) {
        assertThatThrownBy(() -> new ScontrolJobCommand(jobId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid job id: '" + jobId + "'");
    }

    /** One line per array record; %j in the output pattern is the record's own job id. */
    @Test
    void arrayGivesTheStreamsOfThePendingTasksAndOfTheRunningTask() {
        List<ScontrolJobCommand.Streams> streams = parse("79", "scontrol-job-array");

        assertThat(streams).containsExactly(
                new ScontrolJobCommand.Streams("79", Optional.of("/dev/null"),
                        Optional.of("/home/alice/goldcrest-fixture-79.out"), Optional.of("/home/alice/goldcrest-fixture-79.out"),
                        Optional.empty()),
                new ScontrolJobCommand.Streams("80", Optional.of("/dev/null"),
                        Optional.of("/home/alice/goldcrest-fixture-80.out"), Optional.of("/home/alice/goldcrest-fixture-80.out"),
                        Optional.empty()));
    }

    @Test
    void unknownJobIdIsNoJob() {
        assertThat(CapturedCommand.slurm("scontrol-job-unknown").result().exitStatus()).isEqualTo(1);

        assertThat(parse("999999", "scontrol-job-unknown")).isEmpty();
    }

    @Test
    void controllerDownIsASchedulerErrorQuotingScontrol() {
        assertThatThrownBy(() -> parse("999999", "scontrol-job-controller-down"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 "
                        + "std_err:slurm_load_jobs error: Unable to contact slurm controller (connect failure)");
    }

    @Test
    void missingAndNullPathsAreEmptyAndSpacesStayInAPath() {
        String line = "JobId=5 JobName=a b Command=/home/alice/run me.sh StdErr= StdIn=(null) StdOut=/home/alice/my out.txt Power=\n";

        assertThat(new ScontrolJobCommand("5").parse(new CommandResult(0, line, ""))).containsExactly(
                new ScontrolJobCommand.Streams("5", Optional.empty(), Optional.of("/home/alice/my out.txt"), Optional.empty(),
                        Optional.of("/home/alice/run me.sh")));
    }

    @Test
    void lineWithoutJobIdIsQuoted() {
        assertThatThrownBy(() -> new ScontrolJobCommand("5").parse(new CommandResult(0, "JobName=x StdOut=/o\n", "")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Cannot read scontrol job line (no JobId): 'JobName=x StdOut=/o'");
    }

    private static List<ScontrolJobCommand.Streams> parse(String jobId, String fixture) {
        return new ScontrolJobCommand(jobId).parse(CapturedCommand.slurm(fixture).result());
    }
}
