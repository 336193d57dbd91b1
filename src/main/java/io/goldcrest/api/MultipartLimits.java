package io.goldcrest.api;

import java.util.Locale;

/** Uploads over the size Jetty was told to accept (the largest cluster's {@code max_ops_file_size}). */
public final class MultipartLimits {
    private MultipartLimits() {}

    /** Jetty refuses parts over the configured multipart limit with an exception naming it. */
    public static boolean exceeded(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            String message = current.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("exceeds max")) {
                return true;
            }
        }
        return false;
    }
}
