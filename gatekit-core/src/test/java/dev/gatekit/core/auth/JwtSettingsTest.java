package dev.gatekit.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JwtSettingsTest {

    @Test
    void anAuth0DomainMeansHttpsAndItsWellKnownJwks() {
        JwtSettings settings = JwtSettings.fromAuth0("tenant.eu.auth0.com", "https://api.gatekit.dev").orElseThrow();

        assertThat(settings.issuer()).isEqualTo("https://tenant.eu.auth0.com/");
        assertThat(settings.jwksUri()).hasToString("https://tenant.eu.auth0.com/.well-known/jwks.json");
    }

    @Test
    void aBaseUrlIsKeptAsItIs() {
        assertThat(JwtSettings.fromAuth0("http://127.0.0.1:8089/", "aud").orElseThrow().issuer()).isEqualTo("http://127.0.0.1:8089/");
    }

    @Test
    void noDomainMeansJwtIsOffAndADomainNeedsAnAudience() {
        assertThat(JwtSettings.fromAuth0("", "aud")).isEmpty();
        assertThatThrownBy(() -> JwtSettings.fromAuth0("tenant.auth0.com", "")).hasMessageContaining("AUTH0_AUDIENCE");
    }
}
