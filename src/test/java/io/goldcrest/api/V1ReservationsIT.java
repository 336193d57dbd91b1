package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.RootCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FirecREST v1's deprecated {@code /reservations} through HTTP, as alice and bob. The site tool is
 * a stand-in written here (the real {@code rsvmgmt} is site-specific): a bash script on the cluster
 * that records who ran it with which arguments and answers as the real tool does. Goldcrest runs
 * it over sshd as the user. A Goldcrest without the tool configured answers 501.
 */
class V1ReservationsIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Path DIRECTORY = Path.of("/tmp/goldcrest-rsvmgmt-it-" + RUN);
    private static final Path TOOL = DIRECTORY.resolve("rsvmgmt");
    private static final Path CALLS = DIRECTORY.resolve("calls");
    private static final String MACHINE = "cluster";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** Answers like rsvmgmt; {@code -d slow} takes 6 s (over the cluster's 5 s command limit), {@code -d stuck} 30 s. */
    private static final String TOOL_SCRIPT = """
            #!/bin/bash
            # A stand-in for a site's rsvmgmt: records who called it with which arguments, answers like it.
            me=$(id -un)
            { printf '%s' "$me"; printf ' [%s]' "$@"; printf '\\n'; } >> "@CALLS@/$me.log"
            case "$1" in
              -l)
                printf '\\nrsvmgmt: Current Reservations\\n---------------------------\\n'
                printf 'ReservationName=alpha StartTime=2030-01-02T08:00:00 EndTime=2030-01-02T12:00:00 Duration=04:00:00 Nodes=localhost NodeCnt=1\\n'
                printf 'CoreCnt=8 Features=(null) PartitionName=normal Flags=MAINT TRES=cpu=8 Users=(null) Accounts=proj1 State=INACTIVE\\n'
                printf -- '---------------------------\\n' ;;
              -a)
                if [ "$2" = proj2 ] && [ "$me" = bob ]; then echo "rsvmgmt: Error: You are not a member of the proj2 project" >&2; exit 1; fi
                echo "Reservation created: $7" ;;
              -u) echo "Reservation updated" ;;
              -d)
                case "$2" in
                  slow) sleep 6 ;;
                  stuck) exec sleep 30 ;;
                  locked) echo "sudo: Permission denied" >&2; exit 1 ;;
                esac
                echo "rsvmgmt: Reservation $2 removed" ;;
              *) echo "rsvmgmt: Error: unknown option $1" >&2; exit 2 ;;
            esac
            """;

    private static Goldcrest withTool;
    private static Goldcrest withoutTool;
    private static V1FormClient v1;
    private static V1FormClient v1WithoutTool;
    private static final Map<String, String> TOKENS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        RootCommands.run("mkdir", "-p", "-m", "755", DIRECTORY.toString());
        RootCommands.run("mkdir", "-m", "1777", CALLS.toString());
        Files.writeString(TOOL, TOOL_SCRIPT.replace("@CALLS@", CALLS.toString()));
        RootCommands.run("chmod", "755", TOOL.toString());

        String yaml = LocalServices.devConfigYaml().replace("goldcrest:\n  server:",
                "goldcrest:\n  v1: {reservations_command: \"" + TOOL + "\", reservations_timeout: 7s}\n  server:");
        assertThat(yaml).contains("reservations_command");
        withTool = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC());
        withoutTool = Goldcrest.start(LocalServices.config(LocalServices.devConfigYaml()), Clock.systemUTC());
        v1 = new V1FormClient(withTool.port());
        v1WithoutTool = new V1FormClient(withoutTool.port());
    }

    @AfterAll
    static void stop() {
        if (withTool != null) {
            withTool.close();
        }
        if (withoutTool != null) {
            withoutTool.close();
        }
        RootCommands.run("rm", "-rf", "--", DIRECTORY.toString());
    }

    @Test
    void theListingIsTheToolsReservationsWithLowerCasedKeys() {
        ApiClient.Response listed = v1.get("/v1/reservations", token("alice"), MACHINE);

        assertThat(listed.status()).as(listed.text()).isEqualTo(200);
        assertDeprecated(listed);
        JsonNode reservations = listed.json().get("success");
        assertThat(reservations.size()).isEqualTo(1);
        JsonNode alpha = reservations.get(0);
        assertThat(alpha.get("reservationname").asText()).isEqualTo("alpha");
        assertThat(alpha.get("starttime").asText()).isEqualTo("2030-01-02T08:00:00");
        assertThat(alpha.get("nodecnt").asText()).isEqualTo("1");
        assertThat(alpha.get("corecnt").asText()).isEqualTo("8");
        assertThat(alpha.get("tres").asText()).isEqualTo("cpu=8");
        assertThat(alpha.get("state").asText()).isEqualTo("INACTIVE");
        assertThat(lastCall("alice")).isEqualTo("alice [-l]");
    }

    @Test
    void createRunsTheToolAsTheUserWithEachValueAsOneWord() {
        String name = "rsv_" + RUN + "-$1";
        String start = inHours(24);
        String end = inHours(26);

        ApiClient.Response created = v1.form("POST", "/v1/reservations", token("alice"), MACHINE, Map.of("reservation", name,
                "account", "proj1", "numberOfNodes", "2", "nodeType", "knl", "starttime", start, "endtime", end));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertDeprecated(created);
        assertThat(created.json().get("success").asText()).isEqualTo("Reservation created: " + name);
        assertThat(lastCall("alice")).isEqualTo("alice [-a] [proj1] [2] [knl] [" + start + "] [" + end + "] [" + name + "]");
    }

    @Test
    void updateAndDeleteRunTheToolForTheNamedReservation() {
        String start = inHours(48);
        String end = inHours(49);
        ApiClient.Response updated = v1.form("PUT", "/v1/reservations/rsv-" + RUN, token("bob"), MACHINE, Map.of(
                "account", "ignored", "numberOfNodes", "1", "nodeType", "mc", "starttime", start, "endtime", end));
        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        assertThat(updated.json().get("success").asText()).isEqualTo("Reservation updated");
        assertThat(lastCall("bob")).isEqualTo("bob [-u] [rsv-" + RUN + "] [1] [mc] [" + start + "] [" + end + "]");

        ApiClient.Response deleted = v1.form("DELETE", "/v1/reservations/rsv-" + RUN, token("bob"), MACHINE, Map.of());
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertDeprecated(deleted);
        assertThat(lastCall("bob")).isEqualTo("bob [-d] [rsv-" + RUN + "]");
    }

    @Test
    void valuesOutsideTheToolsContractAreRefusedBeforeItRuns() {
        int calls = calls("alice").size();
        Map<String, String> good = Map.of("reservation", "ok", "account", "proj1", "numberOfNodes", "2", "nodeType", "knl",
                "starttime", inHours(24), "endtime", inHours(25));

        assertRefused(without(good, "account"), "'account' form data input missing");
        assertRefused(with(good, "reservation", "bad;name"), "'reservation' is not a valid name (value entered: 'bad;name'): "
                + "use lower-case letters, digits, '-', '_' and '$', starting with a letter, '_' or '$'");
        assertRefused(with(good, "numberOfNodes", "0"), "'numberOfNodes' must be an integer greater than 0 (value entered: '0')");
        assertRefused(with(good, "starttime", "tomorrow"),
                "'starttime' must be in the form YYYY-MM-DDTHH:MM:SS (value entered: 'tomorrow')");
        assertRefused(with(good, "endtime", good.get("starttime")), "'endtime' must be after 'starttime' (values entered: endtime='"
                + good.get("starttime") + "', starttime='" + good.get("starttime") + "')");
        String past = inHours(-1);
        assertRefused(with(good, "starttime", past), "'starttime' must be in the future (value entered: '" + past + "')");
        ApiClient.Response badPath = v1.form("DELETE", "/v1/reservations/Bad", token("alice"), MACHINE, Map.of());
        assertThat(badPath.status()).isEqualTo(400);
        assertThat(badPath.json().get("error").asText()).isEqualTo("Error deleting reservation");

        assertThat(calls("alice")).hasSize(calls);
    }

    @Test
    void theToolsRefusalsAreV1sAnswers() {
        ApiClient.Response notMember = v1.form("POST", "/v1/reservations", token("bob"), MACHINE, Map.of("reservation", "r1",
                "account", "proj2", "numberOfNodes", "1", "nodeType", "knl", "starttime", inHours(24), "endtime", inHours(25)));
        assertThat(notMember.status()).isEqualTo(400);
        assertThat(notMember.json().get("error").asText()).isEqualTo("Error creating reservation");
        assertThat(notMember.json().get("description").asText()).isEqualTo("You are not a member of the proj2 project");
        assertDeprecated(notMember);

        ApiClient.Response locked = v1.form("DELETE", "/v1/reservations/locked", token("alice"), MACHINE, Map.of());
        assertThat(locked.status()).isEqualTo(404);
        assertThat(locked.header("X-Permission-Denied")).isEqualTo("User does not have permissions to access machine or path");
        assertThat(locked.json().get("error").asText()).isEqualTo("Error deleting reservation");
    }

    /** The tool's own limit (7 s here) replaces the cluster's 5 s command limit, both ways. */
    @Test
    void theToolHasItsOwnTimeLimit() {
        ApiClient.Response slow = v1.form("DELETE", "/v1/reservations/slow", token("alice"), MACHINE, Map.of());
        assertThat(slow.status()).as(slow.text()).isEqualTo(204);

        ApiClient.Response stuck = v1.form("DELETE", "/v1/reservations/stuck", token("alice"), MACHINE, Map.of());
        assertThat(stuck.status()).isEqualTo(400);
        assertThat(stuck.header("X-Timeout")).isEqualTo("Command has finished with timeout signal");
        assertThat(stuck.json().get("error").asText()).isEqualTo("Error deleting reservation");
    }

    @Test
    void withoutAToolEveryEndpointAnswers501() {
        Map<String, String> window = Map.of("numberOfNodes", "1", "nodeType", "knl", "starttime", inHours(24), "endtime", inHours(25));
        List<ApiClient.Response> answers = List.of(
                v1WithoutTool.get("/v1/reservations", token("alice"), MACHINE),
                v1WithoutTool.form("POST", "/v1/reservations", token("alice"), MACHINE, with(window, "reservation", "r")),
                v1WithoutTool.form("PUT", "/v1/reservations/r", token("alice"), MACHINE, window),
                v1WithoutTool.form("DELETE", "/v1/reservations/r", token("alice"), MACHINE, Map.of()));
        List<String> failures = List.of("Error listing reservations", "Error creating reservation", "Error updating reservation",
                "Error deleting reservation");
        for (int index = 0; index < answers.size(); index++) {
            ApiClient.Response answer = answers.get(index);
            assertThat(answer.status()).as(answer.text()).isEqualTo(501);
            assertDeprecated(answer);
            assertThat(answer.json().get("error").asText()).isEqualTo(failures.get(index));
            assertThat(answer.json().get("description").asText())
                    .isEqualTo("No reservation tool is configured at this site (goldcrest.v1.reservations_command)");
        }
    }

    @Test
    void theMachineAndTheTokenComeFirst() {
        ApiClient.Response noMachine = v1.get("/v1/reservations", token("alice"), null);
        assertThat(noMachine.status()).isEqualTo(400);
        assertThat(noMachine.json().get("description").asText()).isEqualTo("No machine name given");
        assertDeprecated(noMachine);

        ApiClient.Response unknown = v1WithoutTool.get("/v1/reservations", token("alice"), "nosuch");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.header("X-Machine-Does-Not-Exist")).isEqualTo("Machine does not exist");

        ApiClient.Response noToken = v1.get("/v1/reservations", null, MACHINE);
        assertThat(noToken.status()).isEqualTo(401);
        assertDeprecated(noToken);
    }

    // ================================================================ helpers

    private static void assertRefused(Map<String, String> form, String description) {
        ApiClient.Response refused = v1.form("POST", "/v1/reservations", token("alice"), MACHINE, form);
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("Error creating reservation");
        assertThat(refused.json().get("description").asText()).isEqualTo(description);
        assertDeprecated(refused);
    }

    private static void assertDeprecated(ApiClient.Response response) {
        assertThat(response.header("Deprecation")).isEqualTo("@1711111630");
        assertThat(response.header("Sunset")).isEqualTo("Only suppoerted until v2.0");
    }

    private static Map<String, String> with(Map<String, String> form, String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(form);
        changed.put(name, value);
        return changed;
    }

    private static Map<String, String> without(Map<String, String> form, String name) {
        Map<String, String> changed = new LinkedHashMap<>(form);
        changed.remove(name);
        return changed;
    }

    /** The server's local time (v1 compares the start with it), whole seconds. */
    private static String inHours(int hours) {
        return LocalDateTime.now().plusHours(hours).truncatedTo(ChronoUnit.SECONDS).format(TIME);
    }

    /** The tool's record of the user's calls, one line each: {@code user [arg] [arg]...}. */
    private static List<String> calls(String user) {
        Path log = CALLS.resolve(user + ".log");
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastCall(String user) {
        List<String> calls = calls(user);
        assertThat(calls).as("calls of %s", user).isNotEmpty();
        return calls.get(calls.size() - 1);
    }

    private static synchronized String token(String user) {
        return TOKENS.computeIfAbsent(user, LocalServices::mockToken);
    }
}
