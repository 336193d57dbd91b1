package io.goldcrest.scheduler;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A job to submit: either a script's text or the path of a script on the cluster (which wins when
 * both are given), run in {@code workingDirectory} with {@code environment} added to the
 * submitter's.
 *
 * @param environment variables in the given order; names are shell identifiers, values any text
 *     without NUL
 */
public record JobSpec(
        String workingDirectory,
        Optional<String> script,
        Optional<String> scriptPath,
        Optional<String> name,
        Optional<String> account,
        Optional<String> partition,
        Optional<String> reservation,
        Optional<String> constraints,
        Optional<String> standardInput,
        Optional<String> standardOutput,
        Optional<String> standardError,
        Map<String, String> environment) {

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** @throws IllegalArgumentException naming the field that is unusable */
    public JobSpec {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(scriptPath, "scriptPath");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(reservation, "reservation");
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(standardInput, "standardInput");
        Objects.requireNonNull(standardOutput, "standardOutput");
        Objects.requireNonNull(standardError, "standardError");
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        if (workingDirectory.isEmpty()) {
            throw new IllegalArgumentException("workingDirectory: must not be empty");
        }
        if (script.isEmpty() && scriptPath.isEmpty()) {
            throw new IllegalArgumentException("script: either script or scriptPath is required");
        }
        if (scriptPath.isPresent() && scriptPath.get().isEmpty()) {
            throw new IllegalArgumentException("scriptPath: must not be empty");
        }
        environment.forEach((key, value) -> {
            if (!VARIABLE.matcher(key).matches()) {
                throw new IllegalArgumentException("env: '" + key + "' is not a valid variable name");
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("env: the value of " + key + " contains a NUL character");
            }
        });
        checkText("workingDirectory", Optional.of(workingDirectory));
        checkText("scriptPath", scriptPath);
        checkText("name", name);
        checkText("account", account);
        checkText("partition", partition);
        checkText("reservation", reservation);
        checkText("constraints", constraints);
        checkText("standardInput", standardInput);
        checkText("standardOutput", standardOutput);
        checkText("standardError", standardError);
    }

    /** Option values travel as single arguments; a NUL or newline would still cut or confuse them. */
    private static void checkText(String field, Optional<String> value) {
        if (value.isPresent() && (value.get().indexOf('\0') >= 0 || value.get().indexOf('\n') >= 0)) {
            throw new IllegalArgumentException(field + ": must not contain NUL or newline characters");
        }
    }
}
