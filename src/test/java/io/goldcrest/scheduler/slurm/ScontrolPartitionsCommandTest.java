package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.scheduler.Partition;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScontrolPartitionsCommandTest {
    private static final Partition NORMAL = new Partition("normal", Optional.of(8), Optional.of(1), "UP", true);
    private static final Partition XFER = new Partition("xfer", Optional.of(8), Optional.of(1), "UP", false);
    private static final Partition HIDDEN = new Partition("goldcrest_hidden", Optional.of(8), Optional.of(1), "DOWN", false);

    @Test
    void commandLineIsTheCapturedOne() {
        for (boolean showHidden : new boolean[] {false, true}) {
            assertThat(ShellQuoting.join(new ScontrolPartitionsCommand(showHidden).argv()))
                    .isEqualTo("'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' '-a' 'show' '-o' 'partitions'")
                    .isEqualTo(CapturedCommand.slurm("partitions").commandLine());
        }
    }

    @Test
    void partitionsAreReadByFieldName() {
        assertThat(parse("partitions", false)).containsExactly(NORMAL, XFER);
    }

    @Test
    void hiddenPartitionIsDroppedUnlessAskedFor() {
        assertThat(parse("partitions-with-hidden", false)).containsExactly(NORMAL, XFER);
        assertThat(parse("partitions-with-hidden", true)).containsExactly(NORMAL, XFER, HIDDEN);
    }

    @Test
    void controllerDownIsASchedulerErrorWithTheStandardError() {
        assertThatThrownBy(() -> parse("partitions-controller-down", false))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 "
                        + "std_err:slurm_load_partitions error: Unable to contact slurm controller (connect failure)");
    }

    @Test
    void nonNumericCountsAreEmpty() {
        String line = "PartitionName=p State=INACTIVE TotalCPUs=N/A TotalNodes= Hidden=NO";

        assertThat(new ScontrolPartitionsCommand(false).parse(new CommandResult(0, line, "")))
                .containsExactly(new Partition("p", Optional.empty(), Optional.empty(), "INACTIVE", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PartitionName", "State", "TotalCPUs", "TotalNodes", "Hidden"})
    void missingFieldIsQuoted(String field) {
        String line = "PartitionName=p State=UP TotalCPUs=8 TotalNodes=1 Hidden=NO"
                .replaceFirst(field + "=\\S*", "");

        assertThatThrownBy(() -> new ScontrolPartitionsCommand(true).parse(new CommandResult(0, line, "")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Cannot read scontrol partitions line (no " + field + "): '" + line + "'");
    }

    @Test
    void garbageLineIsQuoted() {
        assertThatThrownBy(() -> new ScontrolPartitionsCommand(true).parse(new CommandResult(0, "garbage here\n", "")))
                .hasMessage("Cannot read scontrol partitions line (not Key=Value pairs): 'garbage here'");
    }

    private static List<Partition> parse(String fixture, boolean showHidden) {
        return new ScontrolPartitionsCommand(showHidden).parse(CapturedCommand.slurm(fixture).result());
    }
}
