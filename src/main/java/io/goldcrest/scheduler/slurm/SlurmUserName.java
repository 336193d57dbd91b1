package io.goldcrest.scheduler.slurm;

import io.goldcrest.config.UserNames;

/**
 * The check on user names passed to Slurm commands. sacctmgr reads its arguments as keywords, so a
 * name must not look like an option or carry {@code =}, spaces or quotes; {@link UserNames} excludes
 * all of those.
 */
final class SlurmUserName {
    private SlurmUserName() {}

    /** @throws IllegalArgumentException quoting the name when it is not a valid user name */
    static String require(String user) {
        if (!UserNames.isValid(user)) {
            throw new IllegalArgumentException("invalid user name: '" + user + "'");
        }
        return user;
    }
}
