package io.goldcrest.scheduler.slurm;

import java.util.regex.Pattern;

/**
 * The check on user names passed to Slurm commands. sacctmgr reads its arguments as keywords, so a
 * name must not look like an option or carry {@code =}, spaces or quotes; the POSIX portable name
 * pattern excludes all of those.
 */
final class SlurmUserName {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    private SlurmUserName() {}

    /** @throws IllegalArgumentException quoting the name when it is not a portable user name */
    static String require(String user) {
        if (user == null || !NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("invalid user name: '" + user + "'");
        }
        return user;
    }
}
