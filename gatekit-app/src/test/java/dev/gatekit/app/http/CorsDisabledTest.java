package dev.gatekit.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class CorsDisabledTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension("cors.origins=");

    @Test
    void withNoOriginsConfiguredNoOriginIsAllowed() {
        Api api = TestApp.api(APP);

        Reply reply = api.send(api.request("/api/v1/health", null)
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
    }
}
