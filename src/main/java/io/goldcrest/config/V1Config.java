package io.goldcrest.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The FirecREST v1 API ({@code goldcrest.v1}), served beside v2 from the same services.
 *
 * @param enabled whether the v1 routes are served at all
 * @param prefix where they are served, e.g. {@code /v1}: a v1 client's base URL is the server's address followed by {@code /v1}
 * @param reservationsCommand the site tool behind {@code /reservations} (FirecREST's {@code rsvmgmt}) as
 *     argv words; empty when the site has none, and those endpoints then answer 501
 * @param reservationsTimeout how long that tool may run
 */
public record V1Config(boolean enabled, String prefix, List<String> reservationsCommand, Duration reservationsTimeout) {
    public V1Config {
        Objects.requireNonNull(prefix, "prefix");
        reservationsCommand = List.copyOf(reservationsCommand);
        Objects.requireNonNull(reservationsTimeout, "reservationsTimeout");
    }

    public static V1Config defaults() {
        return new V1Config(true, "/v1", List.of(), Duration.ofSeconds(30));
    }
}
