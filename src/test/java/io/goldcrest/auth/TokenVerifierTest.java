package io.goldcrest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.goldcrest.config.AuthConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier against a JWKS document served over HTTP on loopback, so that key fetching, caching
 * and rotation go through Nimbus' real retrieval path.
 */
class TokenVerifierTest {
    private static final String ISSUER = "https://idp.example.org/realms/hpc";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private HttpServer server;
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private RSAKey rsa;
    private ECKey ec;

    @BeforeEach
    void serveKeys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        published.set(new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AuthConfig config(List<String> issuers, List<String> audiences, List<String> clients) {
        URI jwks = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
        return new AuthConfig(Optional.empty(), "client_secret_basic", List.of(jwks), "preferred_username", Optional.empty(),
                Duration.ofSeconds(30), issuers, audiences, clients,
                Set.of("RS256", "ES256"), Duration.ofSeconds(10), Set.of("root"), Duration.ofMinutes(10), Duration.ZERO);
    }

    private TokenVerifier verifier() {
        return new TokenVerifier(config(List.of(ISSUER), List.of("goldcrest"), List.of()), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of("goldcrest", "account"))
                .subject("1234")
                .claim("preferred_username", "alice")
                .claim("azp", "portal")
                .issueTime(Date.from(NOW.minusSeconds(10)))
                .expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    private String rsaToken(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        return sign(rsa, change);
    }

    private static String sign(RSAKey key, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder builder = claims();
        change.accept(builder);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), builder.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void assertRejected(Runnable call, ErrorCode code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(GoldcrestException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void acceptsAValidRsaToken() throws Exception {
        Principal principal = verifier().verify(rsaToken(claims -> { }));
        assertThat(principal.username()).isEqualTo("alice");
        assertThat(principal.clientId()).contains("portal");
        assertThat(principal.expiresAt()).isEqualTo(NOW.plusSeconds(300));
    }

    @Test
    void acceptsAValidEcToken() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build());
        jwt.sign(new ECDSASigner(ec));
        assertThat(verifier().verify(jwt.serialize()).username()).isEqualTo("alice");
    }

    @Test
    void rejectsATamperedSignature() throws Exception {
        String token = rsaToken(claims -> { });
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + SignedJWT.parse(rsaToken(claims -> claims.claim("preferred_username", "bob")))
                .getParsedParts()[1] + "." + parts[2];
        assertRejected(() -> verifier().verify(forged), ErrorCode.TOKEN_INVALID, "Access token is invalid: bad signature.");
    }

    @Test
    void rejectsATokenSignedByAnUnpublishedKey() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        String token = sign(stranger, claims -> { });
        assertRejected(() -> verifier().verify(token), ErrorCode.TOKEN_INVALID, "Access token is invalid: bad signature.");
    }

    @Test
    void rejectsAnUnknownKeyId() throws Exception {
        String token = sign(new RSAKeyGenerator(2048).keyID("elsewhere").generate(), claims -> { });
        assertRejected(() -> verifier().verify(token), ErrorCode.TOKEN_KEY_UNKNOWN, "Token's public key not found.");
    }

    @Test
    void followsKeyRotationWithoutRestart() throws Exception {
        TokenVerifier verifier = verifier();
        assertThat(verifier.verify(rsaToken(claims -> { })).username()).isEqualTo("alice");
        int fetchesBefore = fetches.get();

        RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        published.set(new JWKSet(List.<JWK>of(rotated.toPublicJWK())));
        assertThat(verifier.verify(sign(rotated, claims -> { })).username()).isEqualTo("alice");
        assertThat(fetches.get()).isGreaterThan(fetchesBefore);
    }

    @Test
    void rejectsAlgNoneAndHmacWithThePublicKey() throws Exception {
        String unsigned = new PlainJWT(claims().build()).serialize();
        assertRejected(() -> verifier().verify(unsigned), ErrorCode.TOKEN_INVALID, "Access token is invalid: it is not a signed JWT.");

        // The classic confusion attack: HS256 keyed with the RSA public key the IdP publishes.
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
        byte[] publicKeyBytes = rsa.toRSAPublicKey().getEncoded();
        hmac.sign(new MACSigner(java.util.Arrays.copyOf(publicKeyBytes, Math.max(32, publicKeyBytes.length))));
        assertRejected(() -> verifier().verify(hmac.serialize()), ErrorCode.TOKEN_INVALID,
                "Access token is invalid: algorithm HS256 is not accepted.");
    }

    @Test
    void checksTimes() throws Exception {
        String expired = rsaToken(claims -> claims.expirationTime(Date.from(NOW.minusSeconds(60))));
        assertRejected(() -> verifier().verify(expired), ErrorCode.TOKEN_EXPIRED, "Access token expired");

        String withinSkew = rsaToken(claims -> claims.expirationTime(Date.from(NOW.minusSeconds(5))));
        // Within the clock skew it is not expired yet, but far too close to expiry to be used.
        assertRejected(() -> verifier().verify(withinSkew), ErrorCode.TOKEN_EXPIRES_TOO_SOON,
                "Access token expires too soon (less than 30s remaining).");

        String soon = rsaToken(claims -> claims.expirationTime(Date.from(NOW.plusSeconds(20))));
        assertRejected(() -> verifier().verify(soon), ErrorCode.TOKEN_EXPIRES_TOO_SOON,
                "Access token expires too soon (less than 30s remaining).");

        String future = rsaToken(claims -> claims.notBeforeTime(Date.from(NOW.plusSeconds(120))));
        assertRejected(() -> verifier().verify(future), ErrorCode.TOKEN_INVALID, "Access token is invalid: it is not valid yet.");

        String noExpiry = rsaToken(claims -> claims.expirationTime(null));
        assertRejected(() -> verifier().verify(noExpiry), ErrorCode.TOKEN_INVALID, "Access token is invalid: it has no expiry.");
    }

    @Test
    void checksIssuerAndAudience() throws Exception {
        String otherIssuer = rsaToken(claims -> claims.issuer("https://evil.example.org"));
        assertRejected(() -> verifier().verify(otherIssuer), ErrorCode.TOKEN_INVALID, "Access token is invalid: issuer not accepted.");

        String otherAudience = rsaToken(claims -> claims.audience("someone-else"));
        assertRejected(() -> verifier().verify(otherAudience), ErrorCode.TOKEN_INVALID, "Access token is invalid: audience not accepted.");

        // Without configured issuers and audiences, any is accepted (FirecREST's behaviour).
        TokenVerifier lenient = new TokenVerifier(config(List.of(), List.of(), List.of()), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(lenient.verify(otherIssuer).username()).isEqualTo("alice");
    }

    @Test
    void checksClientAndUsername() throws Exception {
        TokenVerifier onlyPortal = new TokenVerifier(config(List.of(), List.of(), List.of("portal")), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(onlyPortal.verify(rsaToken(claims -> { })).clientId()).contains("portal");
        String otherClient = rsaToken(claims -> claims.claim("azp", "scraper"));
        assertRejected(() -> onlyPortal.verify(otherClient), ErrorCode.CLIENT_NOT_ALLOWED, "Client 'scraper' is not allowed to use this API");

        String noUser = rsaToken(claims -> claims.claim("preferred_username", null));
        assertRejected(() -> verifier().verify(noUser), ErrorCode.TOKEN_USERNAME_MISSING,
                "Authentication token 'preferred_username' claim is missing");

        String hostile = rsaToken(claims -> claims.claim("preferred_username", "alice; rm -rf /"));
        assertRejected(() -> verifier().verify(hostile), ErrorCode.USER_NOT_ALLOWED,
                "The token's 'preferred_username' claim is not a valid cluster user name");

        String root = rsaToken(claims -> claims.claim("preferred_username", "root"));
        assertRejected(() -> verifier().verify(root), ErrorCode.USER_NOT_ALLOWED, "User root may not use this API");
    }

    @Test
    void readsGroupsFromTheConfiguredClaim() throws Exception {
        TokenVerifier verifier = verifier();
        assertThat(verifier.verify(rsaToken(claims -> { })).groups()).isEmpty();
        assertThat(verifier.verify(rsaToken(claims -> claims.claim("groups", List.of("hpc", "", "physics")))).groups())
                .containsExactlyInAnyOrder("hpc", "physics");
        assertThat(verifier.verify(rsaToken(claims -> claims.claim("groups", "hpc"))).groups()).containsExactly("hpc");
        // Anything else names no group rather than failing the token.
        assertThat(verifier.verify(rsaToken(claims -> claims.claim("groups", 42))).groups()).isEmpty();
        assertThat(verifier.verify(rsaToken(claims -> claims.claim("groups", List.of(1, "hpc")))).groups()).containsExactly("hpc");

        TokenVerifier keycloakRoles = new TokenVerifier(config(List.of(ISSUER), List.of("goldcrest"), List.of()), "realm_access.roles",
                Clock.fixed(NOW, ZoneOffset.UTC));
        String nested = rsaToken(claims -> claims.claim("realm_access", java.util.Map.of("roles", List.of("hpc-admin")))
                .claim("groups", List.of("ignored")));
        assertThat(keycloakRoles.verify(nested).groups()).containsExactly("hpc-admin");
        // A claim whose own name has dots (namespaced claims) is read as it is.
        TokenVerifier namespaced = new TokenVerifier(config(List.of(ISSUER), List.of("goldcrest"), List.of()), "https://example.org/groups",
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(namespaced.verify(rsaToken(claims -> claims.claim("https://example.org/groups", List.of("hpc")))).groups())
                .containsExactly("hpc");
    }

    @Test
    void rejectsGarbage() {
        assertRejected(() -> verifier().verify("not.a.jwt"), ErrorCode.TOKEN_INVALID, "Access token is invalid: it is not a signed JWT.");
    }
}
