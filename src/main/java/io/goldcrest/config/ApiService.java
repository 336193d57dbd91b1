package io.goldcrest.config;

import java.util.Locale;

/** The services an authorization rule or a rate limit names; each route belongs to one. */
public enum ApiService {
    STATUS, COMPUTE, FILESYSTEM, TRANSFER, TASKS;

    /** The spelling in the configuration and in messages: {@code compute}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
