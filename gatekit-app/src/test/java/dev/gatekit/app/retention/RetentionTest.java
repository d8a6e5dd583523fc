package dev.gatekit.app.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.support.TestInfrastructure;
import dev.gatekit.plugin.testkit.FakeResponse;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retention removes old message content on demand ({@code prune-now}) and keeps the record. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RetentionTest {

    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200", "retention.messageBodyDays=30");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Messaging.awaitPlugin(api, admin);
    }

    @AfterAll
    static void tearDown() {
        RECEIVER.close();
    }

    @Test
    void contentOlderThanTheRetentionIsPrunedAndTheRecordStays() throws Exception {
        String path = "/retained-" + UUID.randomUUID();
        RECEIVER.server.stub(path, FakeResponse.status(400));
        String slug = api.createProject(admin, "Retention");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        String old = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "secret old words")).json().get("jobId").asText();
        String recent = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "recent words")).json().get("jobId").asText();
        Messaging.awaitFinal(api, admin, slug, old, Duration.ofSeconds(20));
        Messaging.awaitFinal(api, admin, slug, recent, Duration.ofSeconds(20));
        try (Connection c = TestInfrastructure.connect();
             PreparedStatement s = c.prepareStatement("UPDATE messages SET created_at = now() - interval '40 days' WHERE id = ?::uuid")) {
            s.setString(1, old);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        String pruned = api.adminTask("prune-now", "");

        assertThat(pruned).startsWith("Pruned");
        JsonNode oldStatus = Messaging.status(api, admin, slug, old);
        assertThat(oldStatus.get("state").asText()).isEqualTo("failed");
        assertThat(oldStatus.toString()).doesNotContain("secret old words");
        assertThat(oldStatus.at("/targets/0/state").asText()).isEqualTo("failed");
        assertThat(Messaging.status(api, admin, slug, recent).toString()).contains("recent words");
        var retry = api.post("/api/v1/projects/" + slug + "/messages/retry/" + old, admin, "");
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.errorCode()).isEqualTo("content_pruned");
    }
}
