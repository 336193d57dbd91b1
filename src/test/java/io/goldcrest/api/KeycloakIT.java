package io.goldcrest.api;

import static io.goldcrest.api.ApiClient.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The realistic path: tokens from Keycloak (confidential client, real passwords), checked against its JWKS. */
class KeycloakIT {
    private static Goldcrest goldcrest;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        String issuer = LocalServices.keycloakIssuer();
        String yaml = LocalServices.devConfigYaml()
                .replace("public_certs: [\"" + LocalServices.mockIssuer() + "/jwks\"]",
                        "public_certs: [\"" + issuer + "/protocol/openid-connect/certs\"]")
                .replace("issuers: [\"" + LocalServices.mockIssuer() + "\"]", "issuers: [\"" + issuer + "\"]\n    allowed_client_ids: [\"goldcrest-service\"]");
        goldcrest = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
    }

    @AfterAll
    static void stop() {
        goldcrest.close();
    }

    @Test
    void aKeycloakUserTokenActsAsThatUser() {
        ApiClient.Response response = client.get("/status/cluster/userinfo", LocalServices.keycloakPasswordToken("bob"));
        assertThat(response.status()).as(String.valueOf(response.json())).isEqualTo(200);
        assertThat(response.json().at("/user/name").asText()).isEqualTo("bob");
    }

    @Test
    void aServiceAccountTokenIsAccepted() {
        ApiClient.Response response = client.get("/status/systems", LocalServices.keycloakServiceToken());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().at("/systems/0/name").asText()).isEqualTo("cluster");
    }

    @Test
    void tokensOfAnotherIssuerAreRefused() {
        // Signed by the mock IdP, whose keys this server does not know.
        assertError(client.get("/status/systems", LocalServices.mockToken("alice")), 401, "Token's public key not found.", null);
    }
}
