package dev.gatekit.app.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.support.TestInfrastructure;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With the production default, a user cannot point a platform at GateKit's own network (SSRF). */
@ExtendWith(DropwizardExtensionsSupport.class)
class PlatformAddressPolicyTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200", "plugins.allowPrivateAddresses=false");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Messaging.awaitPlugin(api, admin);
    }

    private static Reply configure(String slug, Map<String, String> config) {
        return api.post("/api/v1/projects/" + slug + "/platforms", admin, Map.of("platform", "webhook", "name", "hook",
                "credentials", Map.of("signingSecret", Messaging.SIGNING_SECRET), "config", config));
    }

    @Test
    void urlsOnLoopbackPrivateOrLinkLocalAddressesAreRefused() {
        String slug = api.createProject(admin, "Addresses");

        for (String url : new String[] {"http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/hook", "http://localhost/hook"}) {
            Reply reply = configure(slug, Map.of("url", url));
            assertThat(reply.status()).as(url).isEqualTo(422);
            assertThat(reply.json().at("/error/details/0/field").asText()).isEqualTo("config.url");
            assertThat(reply.json().at("/error/details/0/problem").asText()).contains("GATEKIT_ALLOW_PRIVATE_ADDRESSES=true")
                    .contains("plugins.allowPrivateAddresses");
        }
        Reply apiBase = configure(slug, Map.of("url", "https://93.184.216.34/hook", "apiBaseUrl", "http://192.168.1.10/"));
        assertThat(apiBase.status()).isEqualTo(422);
        assertThat(apiBase.json().at("/error/details/0/field").asText()).isEqualTo("config.apiBaseUrl");
    }

    @Test
    void aStoredUrlThatNowPointsInsideIsRefusedAtSendTime() throws Exception {
        String slug = api.createProject(admin, "Rebound");
        String id = configure(slug, Map.of("url", "https://93.184.216.34/hook")).json().get("id").asText();
        // As if its DNS name now resolved to the admin port, or the row predated the policy.
        try (Connection c = TestInfrastructure.connect();
             PreparedStatement s = c.prepareStatement(
                     "UPDATE platform_configurations SET settings = jsonb_set(settings, '{url}', '\"http://127.0.0.1:3001/tasks/drain\"') WHERE id = ?::uuid")) {
            s.setString(1, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        String job = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "x")).json().get("jobId").asText();

        JsonNode status = Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(20));
        assertThat(status.get("state").asText()).isEqualTo("failed");
        assertThat(status.at("/targets/0/reasonCode").asText()).isEqualTo("blocked_address");
    }

    @Test
    void aPublicAddressIsAccepted() {
        String slug = api.createProject(admin, "Public");

        assertThat(configure(slug, Map.of("url", "https://93.184.216.34/hook")).status()).isEqualTo(201);
    }
}
