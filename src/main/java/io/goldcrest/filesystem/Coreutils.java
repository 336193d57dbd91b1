package io.goldcrest.filesystem;

import java.util.ArrayList;
import java.util.List;

/** Argument vectors for the cluster's file tools, run in the C locale. */
final class Coreutils {
    private Coreutils() {}

    /**
     * The C locale makes the tools' messages English, which the failure classification reads, and
     * makes {@code ls} sort bytewise and escape every non-ASCII byte, so names parse exactly.
     */
    static List<String> argv(String... words) {
        List<String> argv = new ArrayList<>(words.length + 2);
        argv.add("env");
        argv.add("LC_ALL=C");
        argv.addAll(List.of(words));
        return argv;
    }
}
