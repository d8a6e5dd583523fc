package dev.gatekit.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Errors that say what would work: the platforms there are, the timestamp format expected. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErrorHintsTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Messaging.awaitPlugin(api, admin);
    }

    @Test
    void configuringAPlatformNoPluginServesListsTheLoadedOnes() {
        String slug = api.createProject(admin, "Hints");

        Reply reply = api.post("/api/v1/projects/" + slug + "/platforms", admin,
                Map.of("platform", "telegarm", "credentials", Map.of("botToken", "1:x")));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().at("/error/details/0/field").asText()).isEqualTo("platform");
        assertThat(reply.json().at("/error/details/0/problem").asText()).contains("telegarm").contains("loaded: webhook");
    }

    @Test
    void sendingToAPlatformTheProjectLacksListsWhatItHas() {
        String slug = api.createProject(admin, "Hints");
        Messaging.configureWebhook(api, admin, slug, "Orders", "http://127.0.0.1:9/hook");

        Reply reply = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                Map.of("platform", "slack", "target", Map.of("type", "channel", "id", "C1"), "text", "hi"));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().at("/error/details/0/field").asText()).isEqualTo("platform");
        assertThat(reply.json().at("/error/details/0/problem").asText())
                .contains("'slack'").contains("this project configures webhook").contains("loaded platforms: webhook");
    }

    @Test
    void aBadTimestampInsideABodyNamesIso8601() {
        String slug = api.createProject(admin, "Hints");
        Messaging.configureWebhook(api, admin, slug, "Orders", "http://127.0.0.1:9/hook");

        Reply scheduled = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                Map.of("platform", "webhook", "target", Map.of("type", "channel", "id", "C1"), "text", "hi",
                        "options", Map.of("scheduled", "tomorrow at nine")));
        Reply expiresAt = api.post("/api/v1/projects/" + slug + "/keys", admin,
                Map.of("name", "k", "scopes", List.of("projects:read"), "expiresAt", "next week"));
        Reply wrongType = api.post("/api/v1/projects/" + slug + "/keys", admin,
                Map.of("name", "k", "scopes", List.of("projects:read"), "expiresAt", Map.of("days", 7)));

        for (Reply reply : List.of(scheduled, expiresAt, wrongType)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
            assertThat(reply.json().at("/error/details/0/problem").asText()).as(reply.toString()).contains("ISO-8601");
        }
        assertThat(scheduled.json().at("/error/details/0/field").asText()).isEqualTo("options.scheduled");
        assertThat(expiresAt.json().at("/error/details/0/field").asText()).isEqualTo("expiresAt");
    }

    @Test
    void aBadTimestampInAQueryNamesIso8601() {
        String slug = api.createProject(admin, "Hints");

        Reply history = api.get("/api/v1/projects/" + slug + "/messages?from=yesterday", admin);

        assertThat(history.status()).as("a malformed query parameter").isEqualTo(400);
        assertThat(history.json().at("/error/details/0/field").asText()).isEqualTo("from");
        assertThat(history.json().at("/error/details/0/problem").asText()).contains("ISO-8601");
    }
}
