package io.goldcrest.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Token checks: FirecREST's {@code auth.authentication} plus {@code goldcrest.auth}.
 *
 * @param issuers accepted {@code iss} values; empty accepts any (FirecREST's behaviour)
 * @param audiences accepted {@code aud} values, any one suffices; empty accepts any
 * @param allowedClientIds accepted client ids ({@code azp} or {@code client_id}); empty accepts any
 * @param algorithms accepted JWS algorithms; asymmetric only
 * @param deniedUsernames cluster users no token may act as, whatever the IdP says
 */
public record AuthConfig(
        Optional<String> tokenUrl,
        String tokenEndpointAuthMethod,
        List<URI> publicCerts,
        String usernameClaim,
        Optional<String> jwkAlgorithm,
        Duration minTokenTtl,
        List<String> issuers,
        List<String> audiences,
        List<String> allowedClientIds,
        Set<String> algorithms,
        Duration clockSkew,
        Set<String> deniedUsernames,
        Duration jwksCacheTtl,
        Duration jwksRefreshMinInterval) {

    public AuthConfig {
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(tokenEndpointAuthMethod, "tokenEndpointAuthMethod");
        publicCerts = List.copyOf(publicCerts);
        Objects.requireNonNull(usernameClaim, "usernameClaim");
        Objects.requireNonNull(jwkAlgorithm, "jwkAlgorithm");
        Objects.requireNonNull(minTokenTtl, "minTokenTtl");
        issuers = List.copyOf(issuers);
        audiences = List.copyOf(audiences);
        allowedClientIds = List.copyOf(allowedClientIds);
        algorithms = Set.copyOf(algorithms);
        Objects.requireNonNull(clockSkew, "clockSkew");
        deniedUsernames = Set.copyOf(deniedUsernames);
        Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
        Objects.requireNonNull(jwksRefreshMinInterval, "jwksRefreshMinInterval");
    }
}
