package io.goldcrest.config;

/**
 * The audit log ({@code goldcrest.audit}): one JSON line per remote operation run on a user's
 * behalf, on logger {@code goldcrest.audit} (its destination is the logging configuration's choice).
 */
public record AuditConfig(boolean enabled) {
    public static AuditConfig defaults() {
        return new AuditConfig(true);
    }
}
