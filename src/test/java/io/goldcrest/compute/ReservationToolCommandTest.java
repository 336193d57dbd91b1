package io.goldcrest.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReservationToolCommandTest {
    private static final List<String> TOOL = List.of("/opt/site/bin/rsvmgmt", "--site=x");
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final LocalDateTime NOW = LocalDateTime.parse("2030-01-01T12:00:00");
    private static final ReservationToolCommand.Window WINDOW =
            ReservationToolCommand.window("4", "knl", "2030-01-02T08:00:00", "2030-01-02T12:30:00", NOW);

    @Test
    void eachActionIsTheToolWithItsQuotedArguments() {
        assertThat(line(ReservationToolCommand.list(TOOL, LIMIT))).isEqualTo("'/opt/site/bin/rsvmgmt' '--site=x' '-l'");
        assertThat(line(ReservationToolCommand.create(TOOL, LIMIT, "rsv_1", "proj$1", WINDOW)))
                .isEqualTo("'/opt/site/bin/rsvmgmt' '--site=x' '-a' 'proj$1' '4' 'knl' '2030-01-02T08:00:00' '2030-01-02T12:30:00' 'rsv_1'");
        assertThat(line(ReservationToolCommand.update(TOOL, LIMIT, "rsv-1", WINDOW)))
                .isEqualTo("'/opt/site/bin/rsvmgmt' '--site=x' '-u' 'rsv-1' '4' 'knl' '2030-01-02T08:00:00' '2030-01-02T12:30:00'");
        assertThat(line(ReservationToolCommand.delete(TOOL, LIMIT, "rsv-1"))).isEqualTo("'/opt/site/bin/rsvmgmt' '--site=x' '-d' 'rsv-1'");
        assertThat(ReservationToolCommand.list(TOOL, LIMIT).timeLimit()).contains(LIMIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Rsv", "-rsv", "1rsv", "rsv;date", "rsv'x", "rsv x", "rsv\nx", "$(id)"})
    void namesOutsideTheToolsContractAreRefused(String name) {
        assertThatThrownBy(() -> ReservationToolCommand.delete(TOOL, LIMIT, name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'reservation' is not a valid name (value entered: '" + name + "')");
        assertThatThrownBy(() -> ReservationToolCommand.create(TOOL, LIMIT, "ok", name, WINDOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'account' is not a valid name");
        assertThatThrownBy(() -> ReservationToolCommand.window("1", name, "2030-01-02T08:00:00", "2030-01-02T09:00:00", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'nodeType' is not a valid name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1.5", "x", "", "99999999999"})
    void theNodeCountIsAnIntegerAboveZero(String count) {
        assertThatThrownBy(() -> ReservationToolCommand.window(count, "knl", "2030-01-02T08:00:00", "2030-01-02T09:00:00", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'numberOfNodes' must be an integer greater than 0 (value entered: '" + count + "')");
    }

    @Test
    void timesAreCheckedForFormOrderAndFuture() {
        assertThatThrownBy(() -> ReservationToolCommand.window("1", "knl", "2030-01-02 08:00:00", "2030-01-02T09:00:00", NOW))
                .hasMessage("'starttime' must be in the form YYYY-MM-DDTHH:MM:SS (value entered: '2030-01-02 08:00:00')");
        assertThatThrownBy(() -> ReservationToolCommand.window("1", "knl", "2030-01-02T08:00:00", "2030-02-30T09:00:00", NOW))
                .hasMessage("'endtime' must be in the form YYYY-MM-DDTHH:MM:SS (value entered: '2030-02-30T09:00:00')");
        assertThatThrownBy(() -> ReservationToolCommand.window("1", "knl", "2030-01-02T08:00:00", "2030-01-02T08:00:00", NOW))
                .hasMessage("'endtime' must be after 'starttime' (values entered: endtime='2030-01-02T08:00:00', "
                        + "starttime='2030-01-02T08:00:00')");
        assertThatThrownBy(() -> ReservationToolCommand.window("1", "knl", "2030-01-01T12:00:00", "2030-01-02T08:00:00", NOW))
                .hasMessage("'starttime' must be in the future (value entered: '2030-01-01T12:00:00')");
        assertThat(WINDOW).isEqualTo(new ReservationToolCommand.Window(4, "knl",
                LocalDateTime.parse("2030-01-02T08:00:00"), LocalDateTime.parse("2030-01-02T12:30:00")));
    }

    @Test
    void successIsTheOutputWhateverStandardError() {
        assertThat(ReservationToolCommand.list(TOOL, LIMIT).parse(new CommandResult(0, "Reservation created: r1\n\n", "note\n")))
                .isEqualTo("Reservation created: r1");
    }

    @Test
    void aFailureIsTheToolsMessageWithoutItsPrefixes() {
        assertThatThrownBy(() -> ReservationToolCommand.list(TOOL, LIMIT)
                .parse(new CommandResult(1, "", "rsvmgmt: Error: You are not a member of the proj2 project\n")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_COMMAND_FAILED))
                .hasMessage("You are not a member of the proj2 project");
        assertThatThrownBy(() -> ReservationToolCommand.list(TOOL, LIMIT).parse(new CommandResult(2, "Error: no such node type\n", "")))
                .hasMessage("no such node type");
        assertThatThrownBy(() -> ReservationToolCommand.list(TOOL, LIMIT).parse(new CommandResult(3, "", "")))
                .hasMessage("The reservation tool failed with exit status 3");
    }

    @Test
    void aRefusedUserIsAPermissionFailure() {
        for (String said : List.of("sudo: Permission denied", "We trust you have received the usual lecture from the local SystemAdministrator")) {
            assertThatThrownBy(() -> ReservationToolCommand.list(TOOL, LIMIT).parse(new CommandResult(1, "", said)))
                    .isInstanceOfSatisfying(GoldcrestException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PATH_PERMISSION_DENIED));
        }
    }

    @Test
    void aListingGivesEachReservationWithLowerCasedKeysAcrossLines() {
        String listing = """

                rsvmgmt: Current Reservations
                ---------------------------
                ReservationName=selvedas StartTime=2020-12-24T08:00:00 EndTime=2020-12-25T12:30:00 Duration=1-04:30:00 Nodes=nid0000[0-9] NodeCnt=10
                CoreCnt=640 Features=knl PartitionName=normal Flags= TRES=cpu=2560 Users=(null) Accounts=csstaff State=INACTIVE
                ReservationName=second Nodes=nid00010 State=ACTIVE
                ---------------------------
                """;

        List<Map<String, String>> reservations = ReservationToolCommand.reservations(listing);

        assertThat(reservations).hasSize(2);
        assertThat(reservations.get(0)).containsExactly(
                Map.entry("reservationname", "selvedas"), Map.entry("starttime", "2020-12-24T08:00:00"),
                Map.entry("endtime", "2020-12-25T12:30:00"), Map.entry("duration", "1-04:30:00"),
                Map.entry("nodes", "nid0000[0-9]"), Map.entry("nodecnt", "10"), Map.entry("corecnt", "640"),
                Map.entry("features", "knl"), Map.entry("partitionname", "normal"), Map.entry("flags", ""),
                Map.entry("tres", "cpu=2560"), Map.entry("users", "(null)"), Map.entry("accounts", "csstaff"),
                Map.entry("state", "INACTIVE"));
        assertThat(reservations.get(1)).containsEntry("reservationname", "second").containsEntry("state", "ACTIVE");
        assertThat(ReservationToolCommand.reservations("rsvmgmt: Current Reservations\n----\n----\n")).isEmpty();
    }

    @Test
    void noToolIsRefused() {
        assertThatThrownBy(() -> ReservationToolCommand.list(List.of(), LIMIT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Optional.of(LIMIT)).isEqualTo(ReservationToolCommand.delete(TOOL, LIMIT, "r").timeLimit());
    }

    private static String line(ReservationToolCommand command) {
        return ShellQuoting.join(command.argv());
    }
}
