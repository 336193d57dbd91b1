package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.Reservation;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code scontrol -a show -o reservations}: one line per reservation. {@code SLURM_TIME_FORMAT=%s}
 * makes the times epoch seconds; Slurm's default ISO form ({@code 2026-11-24T09:53:52}) is accepted
 * too and read as UTC, because the cluster's time zone is unknown here.
 */
public final class ScontrolReservationsCommand implements RemoteCommand<List<Reservation>> {
    private static final String WHAT = "scontrol reservations line";
    private static final String NO_RESERVATIONS = "No reservations in the system";
    private static final Pattern EPOCH = Pattern.compile("-?\\d{1,12}");
    private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");

    @Override
    public List<String> argv() {
        return List.of("env", "SLURM_TIME_FORMAT=%s", "scontrol", "-a", "show", "-o", "reservations");
    }

    /**
     * @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} on a non-zero exit, a line
     *     lacking {@code ReservationName}, {@code State}, {@code Nodes}, {@code StartTime},
     *     {@code EndTime} or {@code Features}, or a time in neither form
     */
    @Override
    public List<Reservation> parse(CommandResult result) {
        SlurmOutput.requireSuccess(result);
        List<String> lines = SlurmOutput.lines(result.stdout());
        if (lines.size() == 1 && lines.get(0).strip().startsWith(NO_RESERVATIONS)) {
            return List.of();
        }
        List<Reservation> reservations = new ArrayList<>();
        for (String line : lines) {
            ScontrolRecord reservation = ScontrolRecord.parse(line)
                    .orElseThrow(() -> SlurmOutput.unreadable(WHAT, line, "not Key=Value pairs"));
            String name = reservation.require("ReservationName", WHAT);
            String state = reservation.require("State", WHAT);
            String nodes = reservation.require("Nodes", WHAT);
            long start = time(reservation, "StartTime");
            long end = time(reservation, "EndTime");
            String features = reservation.require("Features", WHAT);
            reservations.add(new Reservation(name, withoutNull(nodes).orElse(""), start, end,
                    withoutNull(features), state.toLowerCase(Locale.ROOT)));
        }
        return List.copyOf(reservations);
    }

    private static long time(ScontrolRecord reservation, String key) {
        String value = reservation.require(key, WHAT);
        if (EPOCH.matcher(value).matches()) {
            return Long.parseLong(value);
        }
        if (ISO.matcher(value).matches()) {
            try {
                return LocalDateTime.parse(value).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException invalidDate) {
                throw SlurmOutput.unreadable(WHAT, reservation.line(), "invalid " + key + " " + value);
            }
        }
        throw SlurmOutput.unreadable(WHAT, reservation.line(), "unreadable " + key + " " + value);
    }

    /** Slurm prints {@code (null)} for an unset string. */
    private static Optional<String> withoutNull(String value) {
        return value.isEmpty() || value.equals("(null)") ? Optional.empty() : Optional.of(value);
    }
}
