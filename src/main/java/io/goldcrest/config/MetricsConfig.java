package io.goldcrest.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Prometheus metrics ({@code goldcrest.metrics}). They are never served openly on the API's port:
 * either on a listener of their own ({@code port}, usually on a host only the scraper reaches), or
 * at {@code /metrics} on the API's port to a caller presenting {@code token} as a bearer token.
 *
 * @param port the separate listener's port, 0 for any free one; empty serves no separate listener
 */
public record MetricsConfig(boolean enabled, String host, Optional<Integer> port, Optional<Secret> token) {
    public MetricsConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(token, "token");
    }

    public static MetricsConfig disabled() {
        return new MetricsConfig(false, "127.0.0.1", Optional.empty(), Optional.empty());
    }
}
