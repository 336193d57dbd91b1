package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.JobState;
import io.goldcrest.scheduler.JobStatus;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the job fields squeue and sacct share. Both are asked for {@code SLURM_TIME_FORMAT=%s}
 * (epoch seconds) and for fields separated by the ASCII unit separator, which no job name, path or
 * account in practice contains (FirecREST's {@code |} breaks on a job named {@code a|b}).
 */
final class SlurmJobFields {
    static final String SEPARATOR = "\u001f";

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d+)(?:\\.\\d+)?");
    private static final Pattern EXIT_CODE = Pattern.compile("(\\d+):(\\d+)");
    private static final Pattern STATE_BY = Pattern.compile("(\\S+)(?: by (\\S+))?.*");
    private static final Pattern ARRAY_ID = Pattern.compile("(\\d+)_\\[?([^\\]]+)]?");

    private SlurmJobFields() {}

    record ExitCode(int code, int signal) {}

    record ArrayId(String arrayJobId, String taskId) {}

    /** The fields of one line; empty when it has not exactly {@code count} (every field ends with the separator). */
    static Optional<List<String>> split(String line, int count) {
        String[] fields = line.split(SEPARATOR, -1);
        if (fields.length != count + 1 || !fields[count].isBlank()) {
            return Optional.empty();
        }
        return Optional.of(List.of(fields).subList(0, count));
    }

    /** Epoch seconds; {@code N/A}, {@code Unknown}, {@code None} and empty mean not known. */
    static Optional<Long> epoch(String value) {
        return SlurmOutput.optionalLong(value).filter(seconds -> seconds > 0);
    }

    /** {@code [D-][HH:]MM:SS} as seconds; {@code UNLIMITED}, {@code INVALID}, {@code N/A} are empty. */
    static Optional<Long> duration(String value) {
        Matcher matcher = DURATION.matcher(value.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long days = matcher.group(1) == null ? 0 : Long.parseLong(matcher.group(1));
        long hours = matcher.group(2) == null ? 0 : Long.parseLong(matcher.group(2));
        return Optional.of(((days * 24 + hours) * 60 + Long.parseLong(matcher.group(3))) * 60 + Long.parseLong(matcher.group(4)));
    }

    /** A limit in minutes ({@code TimelimitRaw}) as seconds; {@code UNLIMITED} and {@code Partition_Limit} are empty. */
    static Optional<Long> minutes(String value) {
        return SlurmOutput.optionalLong(value).map(minutes -> minutes * 60);
    }

    /** {@code rc:signal}; empty (unknown) when not in that shape. */
    static Optional<ExitCode> exitCode(String value) {
        Matcher matcher = EXIT_CODE.matcher(value.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ExitCode(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
    }

    /** The state word, without sacct's {@code by <uid>} suffix. */
    static String stateWord(String value) {
        Matcher matcher = STATE_BY.matcher(value.strip());
        return matcher.matches() ? matcher.group(1) : value.strip();
    }

    /** The uid in sacct's {@code CANCELLED by 1001}. */
    static Optional<String> cancelledBy(String value) {
        Matcher matcher = STATE_BY.matcher(value.strip());
        return matcher.matches() ? Optional.ofNullable(matcher.group(2)) : Optional.empty();
    }

    static JobStatus status(String state, Optional<String> reason, String exitCode) {
        String word = stateWord(state);
        Optional<ExitCode> code = exitCode(exitCode);
        return new JobStatus(JobState.of(word), word, reason, code.map(ExitCode::code), code.map(ExitCode::signal));
    }

    /** Slurm's array form {@code 18_3} or {@code 18_[2-4%1]}: the array id and the task part; empty for a plain job. */
    static Optional<ArrayId> arrayId(String displayId) {
        Matcher matcher = ARRAY_ID.matcher(displayId.strip());
        return matcher.matches() ? Optional.of(new ArrayId(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /**
     * A filter option for squeue or sacct, which read its value as a comma-separated list: a value
     * holding a comma cannot be said to Slurm, so it is left out and matched by the caller alone.
     */
    static Optional<String> listFilter(String option, Optional<String> value) {
        return value.filter(text -> text.indexOf(',') < 0).map(text -> option + text);
    }

    /** Text that is absent when empty or Slurm's placeholder. */
    static Optional<String> text(String value) {
        String stripped = value.strip();
        return stripped.isEmpty() || stripped.equals("(null)") ? Optional.empty() : Optional.of(stripped);
    }
}
