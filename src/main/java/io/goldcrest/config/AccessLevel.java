package io.goldcrest.config;

/** What a rule grants on a service, and what a route needs: reading, or also changing things. */
public enum AccessLevel {
    READ_ONLY, READ_WRITE;

    /** The spelling in the configuration and in messages: {@code read-only}. */
    public String key() {
        return this == READ_ONLY ? "read-only" : "read-write";
    }

    public boolean covers(AccessLevel needed) {
        return this == READ_WRITE || needed == READ_ONLY;
    }
}
