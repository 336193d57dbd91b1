package io.goldcrest.scheduler;

import java.util.regex.Pattern;

/** FirecREST's rule for job ids in paths: letters and digits only, so an id is never an option or a list. */
public final class JobIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]+");

    private JobIds() {}

    public static boolean isValid(String jobId) {
        return jobId != null && VALID.matcher(jobId).matches();
    }

    /** @throws IllegalArgumentException quoting the id when it is not letters and digits */
    public static String require(String jobId) {
        if (!isValid(jobId)) {
            throw new IllegalArgumentException("invalid job id: '" + jobId + "'");
        }
        return jobId;
    }
}
