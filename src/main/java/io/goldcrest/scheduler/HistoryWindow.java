package io.goldcrest.scheduler;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** How far back a job list looks for jobs that already ended (FirecREST's {@code time_window}). */
public enum HistoryWindow {
    HOUR("1h", Duration.ofHours(1)),
    EIGHT_HOURS("8h", Duration.ofHours(8)),
    DAY("24h", Duration.ofDays(1)),
    THREE_DAYS("3d", Duration.ofDays(3)),
    WEEK("7d", Duration.ofDays(7));

    private final String word;
    private final Duration length;

    HistoryWindow(String word, Duration length) {
        this.word = word;
        this.length = length;
    }

    public String word() {
        return word;
    }

    public Duration length() {
        return length;
    }

    public static Optional<HistoryWindow> of(String word) {
        return Arrays.stream(values()).filter(window -> window.word.equals(word)).findFirst();
    }
}
