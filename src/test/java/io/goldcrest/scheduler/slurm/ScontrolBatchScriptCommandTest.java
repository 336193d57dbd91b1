package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScontrolBatchScriptCommandTest {
    @Test
    void commandLinesAreTheCapturedOnes() {
        assertThat(ShellQuoting.join(new ScontrolBatchScriptCommand("76").argv()))
                .isEqualTo("'scontrol' 'write' 'batch_script' '76' '-'")
                .isEqualTo(CapturedCommand.slurm("batch-script-own").commandLine())
                .isEqualTo(CapturedCommand.slurm("batch-script-other-user").commandLine());
        assertThat(ShellQuoting.join(new ScontrolBatchScriptCommand("79").argv()))
                .isEqualTo(CapturedCommand.slurm("batch-script-array").commandLine());
        assertThat(ShellQuoting.join(new ScontrolBatchScriptCommand("999999").argv()))
                .isEqualTo(CapturedCommand.slurm("batch-script-unknown").commandLine())
                .isEqualTo(CapturedCommand.slurm("batch-script-controller-down").commandLine());
    }

    @Test
    void jobIdThatIsNotLettersAndDigitsIsRefused() {
        assertThatThrownBy(() -> new ScontrolBatchScriptCommand("76 -"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid job id: '76 -'");
    }

    /** The script comes back byte for byte as sbatch read it on standard input. */
    @Test
    void ownJobGivesTheScriptItWasSubmittedWith() {
        String submitted = CapturedCommand.slurm("sbatch-submitted").stdin();

        assertThat(parse("76", "batch-script-own"))
                .contains("#!/bin/bash\n# goldcrest fixture: runs until cancelled\nsleep 600\n")
                .contains(submitted);
    }

    @Test
    void wrappedJobGivesTheScriptSbatchWrote() {
        assertThat(parse("79", "batch-script-array"))
                .contains("#!/bin/sh\n# This script was created by sbatch --wrap.\n\nsleep 600\n");
    }

    @Test
    void otherUsersJobHasNoScriptToShowThoughScontrolExitsZero() {
        CapturedCommand captured = CapturedCommand.slurm("batch-script-other-user");
        assertThat(captured.result().exitStatus()).isZero();
        assertThat(captured.result().stderr()).isEqualTo("job script retrieval failed: Invalid user id\n");

        assertThat(parse("76", "batch-script-other-user")).isEmpty();
    }

    @Test
    void unknownJobHasNoScript() {
        assertThat(parse("999999", "batch-script-unknown")).isEmpty();
    }

    @Test
    void permissionDeniedHasNoScript() {
        CommandResult result = new CommandResult(0, "", "job script retrieval failed: Access/permission denied\n");

        assertThat(new ScontrolBatchScriptCommand("76").parse(result)).isEmpty();
    }

    /** scontrol exits 0 here too: the retrieval line, not the status, says slurmctld did not answer. */
    @Test
    void controllerDownIsASchedulerErrorNotAMissingScript() {
        assertThat(CapturedCommand.slurm("batch-script-controller-down").result().exitStatus()).isZero();

        assertThatThrownBy(() -> parse("999999", "batch-script-controller-down"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:0 "
                        + "std_err:job script retrieval failed: Unable to contact slurm controller (connect failure)");
    }

    @Test
    void otherNonZeroExitIsASchedulerError() {
        CommandResult result = new CommandResult(1, "", "scontrol: error: something else\n");

        assertThatThrownBy(() -> new ScontrolBatchScriptCommand("76").parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 std_err:scontrol: error: something else");
    }

    private static Optional<String> parse(String jobId, String fixture) {
        return new ScontrolBatchScriptCommand(jobId).parse(CapturedCommand.slurm(fixture).result());
    }
}
