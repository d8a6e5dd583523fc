package dev.gatekit.app.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class JwtNotConfiguredTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension();

    @Test
    void aBearerTokenGetsAClear401WhenJwtIsOff() {
        Api api = TestApp.api(APP);

        Reply reply = api.send(api.request("/api/v1/projects", null).header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig").GET());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().at("/error/message").asText())
                .isEqualTo("JWT authentication is not configured. Please use API key authentication.");
    }
}
