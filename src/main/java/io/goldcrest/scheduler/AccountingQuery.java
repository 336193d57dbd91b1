package io.goldcrest.scheduler;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which jobs an accounting query returns: the requesting user's jobs between two times given in the
 * scheduler's own time words, or those with the given ids.
 *
 * @param startTime e.g. {@code 2024-05-01T10:00}, {@code now-2days}; empty: the scheduler's default
 *     (Slurm: midnight today, or any time when ids are given)
 * @param jobIds job ids, array tasks ({@code 12_3}), array ranges ({@code 12_[1-4]}) or
 *     heterogeneous job components ({@code 12+1}); empty: any
 */
public record AccountingQuery(Optional<String> startTime, Optional<String> endTime, List<String> jobIds) {
    private static final Pattern JOB_ID = Pattern.compile("\\d+(\\+\\d+|_\\d+|_\\[\\d+-\\d+])?");
    // Slurm's time words (sacct(1), "Valid time formats"): clock times, dates in four spellings,
    // named times of day and offsets from now.
    private static final Pattern TIME = Pattern.compile(String.join("|",
            "\\d{1,2}:\\d{2}(:\\d{2})?(?i:[ap]m)?",
            "\\d{4}(\\d{2})?(-\\d{1,2}:\\d{2}(:\\d{2})?)?",
            "\\d{1,2}(?<separator>[./])\\d{1,2}(\\k<separator>\\d{2,4})?(-\\d{1,2}:\\d{2}(:\\d{2})?)?",
            "\\d{4}-\\d{2}-\\d{2}(T\\d{1,2}:\\d{2}(:\\d{2})?)?",
            "(?i:today|tomorrow|midnight|noon|elevenses|fika|teatime)",
            "(?i:now)([+-]\\d+(?i:(second|minute|hour|day|week)s?)?)?"));

    /** @throws IllegalArgumentException naming a time or id that is not in one of Slurm's forms */
    public AccountingQuery {
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
        jobIds = List.copyOf(jobIds);
        startTime.filter(time -> !isTime(time)).ifPresent(time -> {
            throw new IllegalArgumentException("invalid start time: '" + time + "'");
        });
        endTime.filter(time -> !isTime(time)).ifPresent(time -> {
            throw new IllegalArgumentException("invalid end time: '" + time + "'");
        });
        for (String jobId : jobIds) {
            if (!isJobId(jobId)) {
                throw new IllegalArgumentException("invalid job id: '" + jobId + "'");
            }
        }
    }

    /** Whether the scheduler reads {@code value} as a time (Slurm's forms). */
    public static boolean isTime(String value) {
        return value != null && TIME.matcher(value).matches();
    }

    /** Whether {@code value} names a job, an array task or range, or a heterogeneous job component. */
    public static boolean isJobId(String value) {
        return value != null && JOB_ID.matcher(value).matches();
    }
}
