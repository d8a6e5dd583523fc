package dev.gatekit.app.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
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
            assertThat(reply.json().at("/error/details/0/problem").asText()).contains("plugins.allowPrivateAddresses");
        }
        Reply apiBase = configure(slug, Map.of("url", "https://93.184.216.34/hook", "apiBaseUrl", "http://192.168.1.10/"));
        assertThat(apiBase.status()).isEqualTo(422);
        assertThat(apiBase.json().at("/error/details/0/field").asText()).isEqualTo("config.apiBaseUrl");
    }

    @Test
    void aPublicAddressIsAccepted() {
        String slug = api.createProject(admin, "Public");

        assertThat(configure(slug, Map.of("url", "https://93.184.216.34/hook")).status()).isEqualTo(201);
    }
}
