package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.ssh.ShellQuoting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScancelCommandTest {
    @Test
    void commandLinesAreTheCapturedOnes() {
        assertThat(ShellQuoting.join(new ScancelCommand("82").argv()))
                .isEqualTo("'scancel' '--verbose' '82'")
                .isEqualTo(CapturedCommand.slurm("scancel-own").commandLine());
        assertThat(ShellQuoting.join(new ScancelCommand("76").argv()))
                .isEqualTo(CapturedCommand.slurm("scancel-other-user").commandLine());
        assertThat(ShellQuoting.join(new ScancelCommand("81").argv()))
                .isEqualTo(CapturedCommand.slurm("scancel-finished").commandLine());
        assertThat(ShellQuoting.join(new ScancelCommand("999999").argv()))
                .isEqualTo(CapturedCommand.slurm("scancel-controller-down").commandLine());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--user=bob", "76,77", "-1", "76_", "76_[1-3];x", "76_1,77", "76 77"})
    void jobIdThatIsNeitherLettersAndDigitsNorAnArrayTaskIsRefused(String jobId) {
        assertThatThrownBy(() -> new ScancelCommand(jobId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid job id: '" + jobId + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"76_1", "76_[1-3]", "76+1"})
    void arrayTasksRangesAndHeterogeneousComponentsAreOneArgument(String jobId) {
        assertThat(new ScancelCommand(jobId).argv()).containsExactly("scancel", "--verbose", jobId);
    }

    @Test
    void ownRunningJobIsCancelledWithScancelsWords() {
        assertThat(parse("82", "scancel-own")).isEqualTo("scancel: Terminating job 82");
    }

    /** scancel's exit status is Slurm's error number cut to a byte: ESLURM_ACCESS_DENIED 2002 gives 210. */
    @Test
    void otherUsersJobIsASchedulerErrorQuotingScancel() {
        assertThatThrownBy(() -> parse("76", "scancel-other-user"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:210 std_err:scancel: Terminating job 76\n"
                        + "scancel: error: Kill job error on job id 76: Access/permission denied");
    }

    @Test
    void finishedJobIsASchedulerErrorThoughScancelExitsZero() {
        assertThat(CapturedCommand.slurm("scancel-finished").result().exitStatus()).isZero();

        assertThatThrownBy(() -> parse("81", "scancel-finished"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:0 std_err:scancel: Terminating job 81\n"
                        + "scancel: error: Kill job error on job id 81: Job/step already completing or completed");
    }

    @Test
    void controllerDownIsASchedulerError() {
        assertThatThrownBy(() -> parse("999999", "scancel-controller-down"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:8 std_err:scancel: Terminating job 999999\n"
                        + "scancel: error: Kill job error on job id 999999: Unable to contact slurm controller (connect failure)");
    }

    private static String parse(String jobId, String fixture) {
        return new ScancelCommand(jobId).parse(CapturedCommand.slurm(fixture).result());
    }
}
