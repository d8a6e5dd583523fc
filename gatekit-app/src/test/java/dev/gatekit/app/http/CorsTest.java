package dev.gatekit.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test configuration allows exactly https://app.example.com. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CorsTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension();
    static Api api;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
    }

    private static Reply preflight(String origin) {
        return api.send(api.request("/api/v1/projects", null)
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-api-key, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutCredentials() {
        Reply reply = preflight("https://app.example.com");

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.header("Access-Control-Allow-Methods")).contains("POST").contains("PATCH").contains("DELETE");
        assertThat(reply.header("Access-Control-Allow-Headers")).contains("X-API-Key").contains("Authorization");
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(reply.header("Access-Control-Max-Age")).isNotBlank();
    }

    @Test
    void aPreflightFromAnotherOriginIsRefused() {
        Reply reply = preflight("https://evil.example.com");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void responsesToAnAllowedOriginExposeTheRateLimitHeaders() {
        String admin = api.mintAdminKey();

        Reply reply = api.send(api.request("/api/v1/projects", admin).header("Origin", "https://app.example.com").GET());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(reply.header("Access-Control-Expose-Headers")).contains("X-RateLimit-Remaining");
        Reply foreign = api.send(api.request("/api/v1/projects", admin).header("Origin", "https://evil.example.com").GET());
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
    }
}
