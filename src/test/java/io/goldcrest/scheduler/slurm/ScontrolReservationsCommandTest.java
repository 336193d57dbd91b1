package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.scheduler.Reservation;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScontrolReservationsCommandTest {
    private final ScontrolReservationsCommand command = new ScontrolReservationsCommand();

    /** 2026-11-24T09:53:52Z to 10:53:52Z, inactive. */
    private static final Reservation MAINT =
            new Reservation("goldcrest_maint", "localhost", 1795514032L, 1795517632L, Optional.empty(), "inactive");
    /** 2026-11-22T09:53:52Z to 09:58:52Z, active. */
    private static final Reservation CORE =
            new Reservation("goldcrest_core", "localhost", 1795341232L, 1795341532L, Optional.empty(), "active");

    @Test
    void commandLineIsTheCapturedOne() {
        assertThat(ShellQuoting.join(command.argv()))
                .isEqualTo("'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' '-a' 'show' '-o' 'reservations'")
                .isEqualTo(CapturedCommand.slurm("reservations").commandLine());
    }

    @Test
    void noReservationsIsAnEmptyList() {
        assertThat(parse("reservations-none")).isEmpty();
    }

    @Test
    void reservationsWithEpochTimes() {
        assertThat(parse("reservations")).containsExactly(MAINT, CORE);
    }

    @Test
    void isoTimesAreReadAsUtc() {
        assertThat(parse("reservations-iso")).containsExactly(MAINT, CORE);
    }

    @Test
    void controllerDownIsASchedulerErrorWithTheStandardError() {
        assertThatThrownBy(() -> parse("reservations-controller-down"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 "
                        + "std_err:slurm_load_reservations error: Unable to contact slurm controller (connect failure)");
    }

    @Test
    void featuresAreKept() {
        String line = "ReservationName=r StartTime=10 EndTime=20 Nodes=nid[001-004] Features=gpu&big State=ACTIVE";

        assertThat(command.parse(new CommandResult(0, line, "")))
                .containsExactly(new Reservation("r", "nid[001-004]", 10, 20, Optional.of("gpu&big"), "active"));
    }

    @Test
    void unreadableTimeIsQuoted() {
        String line = "ReservationName=r StartTime=tomorrow EndTime=20 Nodes=n Features=(null) State=ACTIVE";

        assertThatThrownBy(() -> command.parse(new CommandResult(0, line, "")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Cannot read scontrol reservations line (unreadable StartTime tomorrow): '" + line + "'");
    }

    @Test
    void impossibleIsoDateIsQuoted() {
        String line = "ReservationName=r StartTime=2026-02-30T00:00:00 EndTime=20 Nodes=n Features=(null) State=ACTIVE";

        assertThatThrownBy(() -> command.parse(new CommandResult(0, line, "")))
                .hasMessage("Cannot read scontrol reservations line (invalid StartTime 2026-02-30T00:00:00): '" + line + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ReservationName", "StartTime", "EndTime", "Nodes", "Features", "State"})
    void missingFieldIsQuoted(String field) {
        String line = "ReservationName=r StartTime=10 EndTime=20 Nodes=n Features=(null) State=ACTIVE"
                .replaceFirst(field + "=\\S*", "");

        assertThatThrownBy(() -> command.parse(new CommandResult(0, line, "")))
                .hasMessage("Cannot read scontrol reservations line (no " + field + "): '" + line + "'");
    }

    private List<Reservation> parse(String fixture) {
        return command.parse(CapturedCommand.slurm(fixture).result());
    }
}
