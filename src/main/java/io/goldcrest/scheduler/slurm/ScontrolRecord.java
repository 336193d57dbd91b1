package io.goldcrest.scheduler.slurm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One line of {@code scontrol show -o ...}: space-separated {@code Key=Value} pairs. A value may
 * itself hold {@code =} ({@code TRES=cpu=8,mem=4000M}) or spaces ({@code OS=Linux 6.1 #1 SMP}), so a
 * token starts a new pair only when it begins with a key and {@code =}; any other token continues
 * the previous value.
 */
final class ScontrolRecord {
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]*=");

    private final String line;
    private final Map<String, String> values;

    private ScontrolRecord(String line, Map<String, String> values) {
        this.line = line;
        this.values = values;
    }

    /** @return empty when the line does not start with a {@code Key=} pair */
    static Optional<ScontrolRecord> parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        String key = null;
        StringBuilder value = new StringBuilder();
        for (String token : line.strip().split(" +")) {
            var keyMatch = KEY.matcher(token);
            if (keyMatch.lookingAt()) {
                if (key != null) {
                    values.putIfAbsent(key, value.toString());
                }
                key = token.substring(0, keyMatch.end() - 1);
                value.setLength(0);
                value.append(token, keyMatch.end(), token.length());
            } else if (key == null) {
                return Optional.empty();
            } else {
                value.append(' ').append(token);
            }
        }
        if (key != null) {
            values.putIfAbsent(key, value.toString());
        }
        return Optional.of(new ScontrolRecord(line, values));
    }

    Optional<String> value(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} quoting the line when the key is absent */
    String require(String key, String what) {
        String value = values.get(key);
        if (value == null) {
            throw SlurmOutput.unreadable(what, line, "no " + key);
        }
        return value;
    }

    String line() {
        return line;
    }
}
