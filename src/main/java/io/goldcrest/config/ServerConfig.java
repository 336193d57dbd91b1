package io.goldcrest.config;

import java.util.Objects;

/** Where Goldcrest listens ({@code goldcrest.server}). */
public record ServerConfig(String host, int port) {
    public ServerConfig {
        Objects.requireNonNull(host, "host");
    }
}
