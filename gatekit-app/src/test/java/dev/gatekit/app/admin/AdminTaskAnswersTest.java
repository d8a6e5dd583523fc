package dev.gatekit.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the admin tasks answer an operator who got a parameter wrong, and in which content type. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminTaskAnswersTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200");
    static Api api;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        Poll.until(Duration.ofSeconds(30), () -> task("plugins", "").text().contains("\"webhook\""));
    }

    private static Reply task(String name, String query) {
        return api.send(api.adminRequest("/tasks/" + name + (query.isEmpty() ? "" : "?" + query))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void aMissingParameterIs400NamingIt() {
        Reply missing = task("revoke-admin-key", "");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.header("Content-Type")).startsWith("application/json");
        assertThat(missing.json().at("/error/details/0/field").asText()).isEqualTo("id");
        assertThat(missing.json().at("/error/details/0/problem").asText()).startsWith("required");
        assertThat(task("unload-plugin", "").json().at("/error/details/0/field").asText()).isEqualTo("id");
        assertThat(task("load-plugin", "").json().at("/error/details/0/field").asText()).isEqualTo("path");
    }

    @Test
    void aMalformedParameterIs400NamingIt() {
        Reply notAUuid = task("revoke-admin-key", "id=first");
        Reply notANumber = task("requeue-failed", "limit=lots");

        assertThat(notAUuid.status()).isEqualTo(400);
        assertThat(notAUuid.json().at("/error/details/0/problem").asText()).contains("UUID");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.json().at("/error/details/0/field").asText()).isEqualTo("limit");
    }

    @Test
    void thePluginsTaskAnswersJson() {
        Reply plugins = task("plugins", "");

        assertThat(plugins.status()).isEqualTo(200);
        assertThat(plugins.header("Content-Type")).startsWith("application/json");
        assertThat(plugins.json().get("plugins").isArray()).isTrue();
    }

    @Test
    void pausingAnUnknownPlatformIsRefusedWithTheLoadedOnes() {
        Reply typo = task("pause-delivery", "platform=webhok");

        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().at("/error/details/0/field").asText()).isEqualTo("platform");
        assertThat(typo.json().at("/error/details/0/problem").asText()).contains("webhok").contains("loaded: webhook");
        assertThat(task("resume-delivery", "").text()).contains("paused: []");

        assertThat(task("pause-delivery", "platform=webhook").text()).contains("webhook");
        assertThat(task("resume-delivery", "platform=webhook").status()).isEqualTo(200);
    }
}
