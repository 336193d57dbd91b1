package io.goldcrest.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.goldcrest.config.AuthConfig;
import io.goldcrest.config.UserNames;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks bearer tokens offline against the IdP's published keys: signature (RSA or EC only, from an
 * allow-list), {@code exp}, {@code nbf}, issuer and audience when configured, the minimum remaining
 * lifetime, the client id, and the username claim. Keys are cached; a token signed with a key id not
 * in the cache triggers a (rate-limited) refetch, so the IdP can rotate keys without a restart.
 */
public final class TokenVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    private final AuthConfig config;
    private final String groupsClaim;
    private final List<JWKSource<SecurityContext>> keySources;
    private final Clock clock;
    private final Map<JWK, JWSVerifier> verifiers = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_VERIFIERS = 64;

    /** A verifier reading the user's groups from the {@code groups} claim. */
    public TokenVerifier(AuthConfig config, Clock clock) {
        this(config, "groups", clock);
    }

    /** @param groupsClaim the claim naming the user's groups, for the authorization policy */
    public TokenVerifier(AuthConfig config, String groupsClaim, Clock clock) {
        this.config = config;
        this.groupsClaim = groupsClaim;
        this.clock = clock;
        KeySetRetriever retriever = new KeySetRetriever();
        List<JWKSource<SecurityContext>> sources = new ArrayList<>();
        for (URI uri : config.publicCerts()) {
            try {
                JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.<SecurityContext>create(uri.toURL(), retriever)
                        .cache(config.jwksCacheTtl().toMillis(), 5_000)
                        .retrying(true);
                builder = config.jwksRefreshMinInterval().isZero()
                        ? builder.rateLimited(false)
                        : builder.rateLimited(config.jwksRefreshMinInterval().toMillis());
                sources.add(builder.build());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("auth.authentication.public_certs: bad URL " + uri, e);
            }
        }
        this.keySources = List.copyOf(sources);
    }

    /**
     * @param token the bearer token, without the scheme
     * @throws GoldcrestException with a {@code TOKEN_*}, {@code CLIENT_NOT_ALLOWED} or {@code USER_NOT_ALLOWED} code
     */
    public Principal verify(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("it is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!config.algorithms().contains(header.getAlgorithm().getName())) {
            throw invalid("algorithm " + header.getAlgorithm().getName() + " is not accepted");
        }
        verifySignature(jwt, header);

        Instant now = clock.instant();
        Duration skew = config.clockSkew();
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw invalid("it has no expiry");
        }
        Instant expiresAt = expiry.toInstant();
        if (now.isAfter(expiresAt.plus(skew))) {
            throw new GoldcrestException(ErrorCode.TOKEN_EXPIRED, "Access token expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(skew).isBefore(notBefore.toInstant())) {
            throw invalid("it is not valid yet");
        }
        if (!config.issuers().isEmpty() && !config.issuers().contains(claims.getIssuer())) {
            throw invalid("issuer not accepted");
        }
        List<String> audiences = claims.getAudience() == null ? List.of() : claims.getAudience();
        if (!config.audiences().isEmpty() && audiences.stream().noneMatch(config.audiences()::contains)) {
            throw invalid("audience not accepted");
        }
        long minTtl = config.minTokenTtl().toSeconds();
        if (Duration.between(now, expiresAt).toSeconds() < minTtl) {
            throw new GoldcrestException(ErrorCode.TOKEN_EXPIRES_TOO_SOON,
                    "Access token expires too soon (less than " + minTtl + "s remaining).");
        }
        Optional<String> clientId = stringClaim(claims, "azp").or(() -> stringClaim(claims, "client_id"));
        if (!config.allowedClientIds().isEmpty()
                && (clientId.isEmpty() || !config.allowedClientIds().contains(clientId.get()))) {
            throw new GoldcrestException(ErrorCode.CLIENT_NOT_ALLOWED,
                    "Client '" + clientId.orElse("(none)") + "' is not allowed to use this API");
        }
        String claim = config.usernameClaim();
        String username = stringClaim(claims, claim).orElseThrow(() ->
                new GoldcrestException(ErrorCode.TOKEN_USERNAME_MISSING, "Authentication token '" + claim + "' claim is missing"));
        if (!UserNames.isValid(username)) {
            throw new GoldcrestException(ErrorCode.USER_NOT_ALLOWED,
                    "The token's '" + claim + "' claim is not a valid cluster user name");
        }
        if (config.deniedUsernames().contains(username)) {
            throw new GoldcrestException(ErrorCode.USER_NOT_ALLOWED, "User " + username + " may not use this API");
        }
        return new Principal(username, clientId, expiresAt, groups(claims));
    }

    /**
     * The groups claim: a list of strings or one string; other values name no group. A name with dots
     * that is not itself a claim is read as a path into nested claims (Keycloak's {@code realm_access.roles}).
     */
    private Set<String> groups(JWTClaimsSet claims) {
        Object value = claims.getClaim(groupsClaim);
        if (value == null && groupsClaim.contains(".")) {
            value = claims.getClaims();
            for (String part : groupsClaim.split("\\.")) {
                value = value instanceof Map<?, ?> map ? map.get(part) : null;
            }
        }
        Set<String> groups = new LinkedHashSet<>();
        if (value instanceof String text && !text.isBlank()) {
            groups.add(text);
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (item instanceof String text && !text.isBlank()) {
                    groups.add(text);
                }
            }
        }
        return groups;
    }

    private void verifySignature(SignedJWT jwt, JWSHeader header) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
        List<JWK> candidates = new ArrayList<>();
        for (JWKSource<SecurityContext> source : keySources) {
            try {
                candidates.addAll(source.get(selector, null));
            } catch (Exception e) {
                // One unreachable IdP must not hide the keys of the others.
                LOG.warn("cannot fetch signing keys: {}", e.toString());
            }
        }
        if (candidates.isEmpty()) {
            throw new GoldcrestException(ErrorCode.TOKEN_KEY_UNKNOWN, "Token's public key not found.");
        }
        for (JWK key : candidates) {
            try {
                Optional<JWSVerifier> verifier = verifierFor(key);
                if (verifier.isPresent() && jwt.verify(verifier.get())) {
                    return;
                }
            } catch (JOSEException e) {
                LOG.debug("key {} cannot verify the token: {}", key.getKeyID(), e.getMessage());
            }
        }
        throw invalid("bad signature");
    }

    /**
     * Building a verifier decodes the key, which cost a fifth of a request's CPU when done per
     * request; verifiers are kept per key instead. Rotated-out keys linger until the map is cleared.
     */
    private Optional<JWSVerifier> verifierFor(JWK key) throws JOSEException {
        JWSVerifier cached = verifiers.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        JWSVerifier verifier = switch (key) {
            case RSAKey rsa -> new RSASSAVerifier(rsa);
            case ECKey ec -> new ECDSAVerifier(ec);
            default -> null;
        };
        if (verifier == null) {
            return Optional.empty();
        }
        if (verifiers.size() > MAX_CACHED_VERIFIERS) {
            verifiers.clear();
        }
        verifiers.put(key, verifier);
        return Optional.of(verifier);
    }

    private static Optional<String> stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String text && !text.isBlank() ? Optional.of(text) : Optional.empty();
    }

    private static GoldcrestException invalid(String reason) {
        return new GoldcrestException(ErrorCode.TOKEN_INVALID, "Access token is invalid: " + reason + ".");
    }
}
