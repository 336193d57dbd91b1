package io.goldcrest.config;

import java.util.regex.Pattern;

/**
 * The one rule for cluster user names, checked wherever a name enters: token claims, static keys,
 * probe users, scheduler commands. Letters, digits, '_', '.', '-', not starting with '-' (it would
 * read as an option) and nothing a shell or SSH would interpret. Longer and more permissive than
 * useradd's default because directory-backed sites have longer and mixed-case names.
 */
public final class UserNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    private UserNames() {}

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
