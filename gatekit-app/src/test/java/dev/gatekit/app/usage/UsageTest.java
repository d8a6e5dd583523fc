package dev.gatekit.app.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.webhooks.Inbound;
import dev.gatekit.plugin.testkit.FakeResponse;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Usage counted as it happens matches exactly what the test did. */
@ExtendWith(DropwizardExtensionsSupport.class)
class UsageTest {

    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200", "usage.flushIntervalMillis=200");
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

    private static JsonNode usage(String slug, String query) {
        Reply reply = api.get("/api/v1/projects/" + slug + "/usage" + query, admin);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void figuresMatchWhatWasSentReceivedAndRequested() {
        String slug = api.createProject(admin, "Usage");
        String badPath = "/bad-" + UUID.randomUUID();
        String good = Messaging.configureWebhook(api, admin, slug, "good", RECEIVER.url("/good-" + UUID.randomUUID()));
        String bad = Messaging.configureWebhook(api, admin, slug, "bad", RECEIVER.url(badPath));
        RECEIVER.server.stub(badPath, FakeResponse.status(404));
        String webhookPath = "/webhooks/webhook/" + Inbound.token(api, admin, slug, good);
        Reply created = api.createKeyReply(admin, slug, "messages:send", "messages:read");
        String key = created.json().get("key").asText();
        String keyId = created.json().get("id").asText();

        // 3 sends by the key: 4 targets, 3 delivered and 1 failed; plus 2 status reads = 5 requests by the key.
        List<String> jobs = List.of(
                send(slug, key, Map.of("targets", List.of(Map.of("platformId", good, "type", "user", "id", "a")), "content", Map.of("text", "one"))),
                send(slug, key, Map.of("targets", List.of(Map.of("platformId", good, "type", "user", "id", "b")), "content", Map.of("text", "two"))),
                send(slug, key, Map.of("targets", List.of(Map.of("platformId", good, "type", "user", "id", "c"),
                        Map.of("platformId", bad, "type", "user", "id", "d")), "content", Map.of("text", "three"))));
        for (String job : jobs.subList(0, 2)) {
            assertThat(api.get("/api/v1/projects/" + slug + "/messages/status/" + job, key).status()).isEqualTo(200);
        }
        for (String job : jobs) {
            Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(30));
        }
        // 2 inbound messages, one of them posted twice (counted once), and one forgery (not counted).
        String twice = Inbound.message("evt-" + UUID.randomUUID(), "chat", "hi");
        Inbound.postSigned(api, webhookPath, twice);
        Inbound.postSigned(api, webhookPath, twice);
        Inbound.postSigned(api, webhookPath, Inbound.message("evt-" + UUID.randomUUID(), "chat", "hi again"));
        Inbound.post(api, webhookPath, Inbound.message("evt-forged", "chat", "x"), "1", "v1=00");

        Poll.until(Duration.ofSeconds(15), () -> {
            JsonNode totals = usage(slug, "").get("totals");
            return totals.get("accepted").asLong() == 4 && totals.get("delivered").asLong() == 3 && totals.get("failed").asLong() == 1
                    && totals.get("received").asLong() == 2 && totals.get("requests").asLong() >= 5;
        });
        Poll.until(Duration.ofSeconds(5), () -> keyGroup(usage(slug, "?groupBy=key"), keyId) != null
                && keyGroup(usage(slug, "?groupBy=key"), keyId).at("/figures/requests").asLong() == 5);

        JsonNode byKey = keyGroup(usage(slug, "?groupBy=key"), keyId);
        assertThat(byKey.at("/figures/accepted").asLong()).isEqualTo(4);
        assertThat(byKey.at("/figures/delivered").asLong()).isEqualTo(3);
        assertThat(byKey.at("/figures/failed").asLong()).isEqualTo(1);
        assertThat(byKey.at("/figures/requests").asLong()).isEqualTo(5);

        JsonNode byPlatform = usage(slug, "?groupBy=platform");
        JsonNode webhook = null;
        for (JsonNode group : byPlatform.get("groups")) {
            if ("webhook".equals(group.get("key").asText())) {
                webhook = group;
            }
        }
        assertThat(webhook).isNotNull();
        assertThat(webhook.at("/figures/accepted").asLong()).isEqualTo(4);
        assertThat(webhook.at("/figures/received").asLong()).isEqualTo(2);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode byDay = usage(slug, "?groupBy=day&from=" + today + "&to=" + today);
        assertThat(byDay.get("groups")).hasSize(1);
        assertThat(byDay.at("/groups/0/key").asText()).isEqualTo(today);
        assertThat(byDay.at("/groups/0/figures/delivered").asLong()).isEqualTo(3);
        JsonNode yesterday = usage(slug, "?from=" + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "&to="
                + LocalDate.now(ZoneOffset.UTC).minusDays(1));
        assertThat(yesterday.at("/totals/accepted").asLong()).isZero();
    }

    @Test
    void badParametersAndScopes() {
        String slug = api.createProject(admin, "Usage scopes");
        String reader = api.createKey(admin, slug, "projects:read");
        String sender = api.createKey(admin, slug, "messages:send");
        String other = api.createProject(admin, "Usage other");
        String stranger = api.createKey(admin, other, "projects:read");

        assertThat(api.get("/api/v1/projects/" + slug + "/usage?groupBy=week", admin).json().at("/error/details/0/field").asText())
                .isEqualTo("groupBy");
        assertThat(api.get("/api/v1/projects/" + slug + "/usage?from=2024-02-01&to=2024-01-01", admin).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/projects/" + slug + "/usage?from=soon", admin).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/projects/" + slug + "/usage", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/projects/" + slug + "/usage", sender).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/projects/" + slug + "/usage", stranger).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + slug + "/usage", reader).status()).isEqualTo(200);
    }

    private static String send(String slug, String key, Map<String, Object> body) {
        Reply reply = api.post("/api/v1/projects/" + slug + "/messages/send", key, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        return reply.json().get("jobId").asText();
    }

    private static JsonNode keyGroup(JsonNode usage, String keyId) {
        for (JsonNode group : usage.get("groups")) {
            if (keyId.equals(group.get("key").asText())) {
                return group;
            }
        }
        return null;
    }
}
