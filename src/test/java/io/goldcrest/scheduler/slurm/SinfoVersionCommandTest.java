package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import org.junit.jupiter.api.Test;

class SinfoVersionCommandTest {
    private final SinfoVersionCommand command = new SinfoVersionCommand();

    @Test
    void commandLineIsTheCapturedOne() {
        assertThat(ShellQuoting.join(command.argv())).isEqualTo(CapturedCommand.slurm("version").commandLine());
    }

    @Test
    void debianPackageLine() {
        assertThat(command.parse(CapturedCommand.slurm("version").result())).isEqualTo("22.05.8");
    }

    @Test
    void upstreamLine() {
        assertThat(command.parse(new CommandResult(0, "slurm 24.11.0-0rc1\n", ""))).isEqualTo("24.11.0-0rc1");
    }

    @Test
    void failureOrNoVersionIsASchedulerError() {
        assertThatThrownBy(() -> command.parse(new CommandResult(127, "", "sinfo: command not found")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR));
        assertThatThrownBy(() -> command.parse(new CommandResult(0, "hello\n", "")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR));
    }
}
