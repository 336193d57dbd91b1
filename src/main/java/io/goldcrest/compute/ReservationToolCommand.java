package io.goldcrest.compute;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A site's reservation tool (FirecREST v1's {@code rsvmgmt}), run as the requesting user: {@code -l}
 * lists, {@code -a ACCOUNT NODES TYPE START END NAME} creates, {@code -u NAME NODES TYPE START END}
 * updates, {@code -d NAME} deletes. The tool decides who may do what; Goldcrest only refuses values
 * the tool's contract does not allow, before anything is run.
 *
 * <p>A run that exits 0 succeeded, whatever it wrote to standard error; any other exit failed, with
 * the tool's message (standard error, else standard output) as the reason.
 */
public final class ReservationToolCommand implements RemoteCommand<String> {
    private static final Pattern NAME = Pattern.compile("[a-z_$][-a-z_$0-9]*");
    private static final Pattern COUNT = Pattern.compile("\\d{1,9}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern PERMISSION = Pattern.compile("Permission|SystemAdministrator");

    private final List<String> tool;
    private final List<String> arguments;
    private final Duration timeLimit;

    private ReservationToolCommand(List<String> tool, Duration timeLimit, List<String> arguments) {
        if (tool.isEmpty()) {
            throw new IllegalArgumentException("no reservation tool is configured");
        }
        this.tool = List.copyOf(tool);
        this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
        this.arguments = List.copyOf(arguments);
    }

    /** What a reservation is to cover: nodes of one type over a time window in the cluster's local time. */
    public record Window(int numberOfNodes, String nodeType, LocalDateTime start, LocalDateTime end) {
        public Window {
            Objects.requireNonNull(nodeType, "nodeType");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }

        private List<String> arguments() {
            return List.of(Integer.toString(numberOfNodes), nodeType, TIME.format(start), TIME.format(end));
        }
    }

    /** @param tool the configured command words, e.g. {@code [rsvmgmt]} */
    public static ReservationToolCommand list(List<String> tool, Duration timeLimit) {
        return new ReservationToolCommand(tool, timeLimit, List.of("-l"));
    }

    /** @throws IllegalArgumentException when the reservation or account is not a valid name */
    public static ReservationToolCommand create(List<String> tool, Duration timeLimit, String reservation, String account,
                                                Window window) {
        requireName("reservation", reservation);
        requireName("account", account);
        List<String> arguments = new ArrayList<>(List.of("-a", account));
        arguments.addAll(window.arguments());
        arguments.add(reservation);
        return new ReservationToolCommand(tool, timeLimit, arguments);
    }

    /** @throws IllegalArgumentException when the reservation is not a valid name */
    public static ReservationToolCommand update(List<String> tool, Duration timeLimit, String reservation, Window window) {
        requireName("reservation", reservation);
        List<String> arguments = new ArrayList<>(List.of("-u", reservation));
        arguments.addAll(window.arguments());
        return new ReservationToolCommand(tool, timeLimit, arguments);
    }

    /** @throws IllegalArgumentException when the reservation is not a valid name */
    public static ReservationToolCommand delete(List<String> tool, Duration timeLimit, String reservation) {
        requireName("reservation", reservation);
        return new ReservationToolCommand(tool, timeLimit, List.of("-d", reservation));
    }

    /**
     * Reads and checks a window from the request's words.
     *
     * @param now the current time in the zone the times are given in
     * @throws IllegalArgumentException naming the field that is unusable: a count that is not an
     *     integer above 0, a node type that is not a valid name, a time not in
     *     {@code YYYY-MM-DDTHH:MM:SS}, an end not after the start, a start not in the future
     */
    public static Window window(String numberOfNodes, String nodeType, String startTime, String endTime, LocalDateTime now) {
        String count = numberOfNodes.strip();
        if (!COUNT.matcher(count).matches() || Integer.parseInt(count) < 1) {
            throw new IllegalArgumentException("'numberOfNodes' must be an integer greater than 0 (value entered: '"
                    + numberOfNodes + "')");
        }
        requireName("nodeType", nodeType);
        LocalDateTime start = time("starttime", startTime);
        LocalDateTime end = time("endtime", endTime);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("'endtime' must be after 'starttime' (values entered: endtime='" + endTime
                    + "', starttime='" + startTime + "')");
        }
        if (!start.isAfter(now)) {
            throw new IllegalArgumentException("'starttime' must be in the future (value entered: '" + startTime + "')");
        }
        return new Window(Integer.parseInt(count), nodeType, start, end);
    }

    private static LocalDateTime time(String field, String value) {
        try {
            return LocalDateTime.parse(value, TIME);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + field + "' must be in the form YYYY-MM-DDTHH:MM:SS (value entered: '"
                    + value + "')");
        }
    }

    private static void requireName(String field, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + field + "' is not a valid name (value entered: '" + value
                    + "'): use lower-case letters, digits, '-', '_' and '$', starting with a letter, '_' or '$'");
        }
    }

    @Override
    public List<String> argv() {
        return Stream.concat(tool.stream(), arguments.stream()).toList();
    }

    @Override
    public Optional<Duration> timeLimit() {
        return Optional.of(timeLimit);
    }

    /**
     * @return the tool's standard output, without trailing white space
     * @throws GoldcrestException {@code PATH_PERMISSION_DENIED} when the tool (or sudo in it) refused
     *     the user, {@code REMOTE_COMMAND_FAILED} with the tool's own message otherwise
     */
    @Override
    public String parse(CommandResult result) {
        if (result.succeeded()) {
            return result.stdout().stripTrailing();
        }
        String said = result.stderr().isBlank() ? result.stdout() : result.stderr();
        if (PERMISSION.matcher(said).find()) {
            throw new GoldcrestException(ErrorCode.PATH_PERMISSION_DENIED, "User does not have permissions to access machine or path");
        }
        String message = reason(said);
        throw new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED,
                message.isEmpty() ? "The reservation tool failed with exit status " + result.exitStatus() : message);
    }

    /** The tool's message without the prefixes it and {@code timeout} put before it. */
    private String reason(String said) {
        String tool = this.tool.get(0);
        String name = tool.substring(tool.lastIndexOf('/') + 1);
        String message = said.strip();
        for (String prefix : List.of("timeout:", name + ":", "Error:")) {
            if (message.regionMatches(true, 0, prefix, 0, prefix.length())) {
                message = message.substring(prefix.length()).strip();
            }
        }
        return message;
    }

    /**
     * The reservations in a listing: every {@code Key=Value} word, keys lower-cased, with a new
     * reservation at each {@code ReservationName}. Headers and separator lines have no such words;
     * a reservation may span lines, and a value may hold {@code =} ({@code TRES=cpu=8}).
     */
    public static List<Map<String, String>> reservations(String listing) {
        List<Map<String, String>> reservations = new ArrayList<>();
        Map<String, String> current = null;
        for (String word : listing.strip().split("\\s+")) {
            int equals = word.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = word.substring(0, equals).toLowerCase(Locale.ROOT);
            if (key.equals("reservationname") || current == null) {
                current = new LinkedHashMap<>();
                reservations.add(current);
            }
            current.put(key, word.substring(equals + 1));
        }
        return reservations;
    }
}
