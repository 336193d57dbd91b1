package io.goldcrest.filesystem;

import java.util.Locale;
import java.util.Optional;

/** The archive compressions FirecREST offers, with tar's flag letter for each. */
public enum Compression {
    NONE(""), BZIP2("j"), GZIP("z"), XZ("J");

    private final String tarLetter;

    Compression(String tarLetter) {
        this.tarLetter = tarLetter;
    }

    public String tarLetter() {
        return tarLetter;
    }

    public static Optional<Compression> parse(String value) {
        for (Compression compression : values()) {
            if (compression.name().toLowerCase(Locale.ROOT).equals(value)) {
                return Optional.of(compression);
            }
        }
        return Optional.empty();
    }
}
