package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.scheduler.ControllerPing;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import org.junit.jupiter.api.Test;

class ScontrolPingCommandTest {
    private final ScontrolPingCommand command = new ScontrolPingCommand();

    @Test
    void commandLineIsTheCapturedOne() {
        assertThat(ShellQuoting.join(command.argv()))
                .isEqualTo("'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' 'ping'")
                .isEqualTo(CapturedCommand.slurm("ping-up").commandLine());
    }

    @Test
    void controllerUp() {
        assertThat(command.parse(CapturedCommand.slurm("ping-up").result()))
                .containsExactly(new ControllerPing("primary", "vm", "UP"));
    }

    @Test
    void controllerDownExitsOneButIsStillRead() {
        CommandResult result = CapturedCommand.slurm("ping-down").result();

        assertThat(result.exitStatus()).isEqualTo(1);
        assertThat(command.parse(result)).containsExactly(new ControllerPing("primary", "vm", "DOWN"));
    }

    @Test
    void primaryAndBackup() {
        String stdout = """
                Slurmctld(primary) at ctl1 is DOWN
                Slurmctld(backup) at ctl2 is UP
                """;

        assertThat(command.parse(new CommandResult(1, stdout, "")))
                .containsExactly(new ControllerPing("primary", "ctl1", "DOWN"), new ControllerPing("backup", "ctl2", "UP"));
    }

    @Test
    void failureWithoutControllerLineIsASchedulerError() {
        assertThatThrownBy(() -> command.parse(new CommandResult(1, "", "scontrol: error: munge decode failed\n")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 std_err:scontrol: error: munge decode failed");
    }

    @Test
    void successWithoutControllerLineQuotesTheOutput() {
        assertThatThrownBy(() -> command.parse(new CommandResult(0, "\nsomething else\n", "")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Cannot read scontrol ping output (no controller line): 'something else'");
    }
}
