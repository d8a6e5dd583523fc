package dev.gatekit.app.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.plugin.testkit.RecordedRequest;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Inbound webhooks of the real webhook plugin jar: stored once, shown in history, forwarded signed; forgeries stored nowhere. */
@ExtendWith(DropwizardExtensionsSupport.class)
class InboundWebhookTest {

    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200",
            "events.allowPrivateEndpoints=true", "events.baseRetryDelayMillis=100", "events.maxRetryDelaySeconds=1",
            "events.sweepIntervalMillis=500", "events.staleAfterSeconds=2");
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

    /** A project with a webhook configuration and an event endpoint for every kind; its webhook path and endpoint. */
    record Setup(String slug, String webhookPath, String eventsPath, String endpointId, String secret) {
    }

    static Setup setUpProject() {
        String slug = api.createProject(admin, "Inbound");
        String config = Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url("/out-" + UUID.randomUUID()));
        String token = Inbound.token(api, admin, slug, config);
        String eventsPath = "/events-" + UUID.randomUUID();
        Reply endpoint = api.post("/api/v1/projects/" + slug + "/events/endpoints", admin,
                Map.of("url", RECEIVER.url(eventsPath), "kinds", List.of("*")));
        assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
        return new Setup(slug, "/webhooks/webhook/" + token, eventsPath, endpoint.json().get("id").asText(),
                endpoint.json().get("secret").asText());
    }

    static List<JsonNode> inboundHistory(String slug) {
        Reply reply = api.get("/api/v1/projects/" + slug + "/messages?direction=inbound", admin);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("messages").forEach(items::add);
        return items;
    }

    @Test
    void aSignedMessageIsStoredShownInHistoryAndForwardedSigned() {
        Setup setup = setUpProject();
        String eventId = "evt-" + UUID.randomUUID();

        Reply reply = Inbound.postSigned(api, setup.webhookPath(), Inbound.message(eventId, "chat-7", "hello from outside"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> history = inboundHistory(setup.slug());
        assertThat(history).hasSize(1);
        JsonNode item = history.get(0);
        assertThat(item.get("direction").asText()).isEqualTo("inbound");
        assertThat(item.get("kind").asText()).isEqualTo("message");
        assertThat(item.get("platform").asText()).isEqualTo("webhook");
        assertThat(item.get("chatId").asText()).isEqualTo("chat-7");
        assertThat(item.get("text").asText()).isEqualTo("hello from outside");
        assertThat(item.at("/sender/name").asText()).isEqualTo("Ada");
        assertThat(item.get("platformEventId").asText()).isEqualTo(eventId);
        assertThat(item.get("platformMessageId").asText()).isEqualTo("pm-" + eventId);

        JsonNode one = api.get("/api/v1/projects/" + setup.slug() + "/messages/" + item.get("id").asText(), admin).json();
        assertThat(one.get("rawPayload").asText()).contains(eventId);

        Poll.until(Duration.ofSeconds(20), () -> !RECEIVER.requests(setup.eventsPath()).isEmpty());
        RecordedRequest forwarded = RECEIVER.requests(setup.eventsPath()).get(0);
        long timestamp = Long.parseLong(forwarded.header("X-GateKit-Timestamp").orElseThrow());
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(60);
        assertThat(forwarded.header("X-GateKit-Signature").orElseThrow())
                .isEqualTo(Inbound.sign(setup.secret(), timestamp, forwarded.bodyAsString()));
        assertThat(forwarded.header("X-GateKit-Event").orElseThrow()).isEqualTo("message.received");
        assertThat(forwarded.header("X-GateKit-Delivery").orElseThrow()).isNotBlank();
        JsonNode event = Receiver.json(forwarded);
        assertThat(event.get("type").asText()).isEqualTo("message.received");
        assertThat(event.at("/data/id").asText()).isEqualTo(item.get("id").asText());
        assertThat(event.at("/data/text").asText()).isEqualTo("hello from outside");
        assertThat(event.at("/data/chatId").asText()).isEqualTo("chat-7");
    }

    @Test
    void theSameEventPostedTwiceIsStoredAndForwardedOnce() {
        Setup setup = setUpProject();
        String body = Inbound.message("evt-dup-" + UUID.randomUUID(), "chat-1", "once");

        assertThat(Inbound.postSigned(api, setup.webhookPath(), body).status()).isEqualTo(200);
        assertThat(Inbound.postSigned(api, setup.webhookPath(), body).status()).isEqualTo(200);

        assertThat(inboundHistory(setup.slug())).hasSize(1);
        JsonNode deliveries = api.get("/api/v1/projects/" + setup.slug() + "/events/endpoints/" + setup.endpointId() + "/deliveries",
                admin).json().get("deliveries");
        assertThat(deliveries).hasSize(1);
        Poll.until(Duration.ofSeconds(20), () -> RECEIVER.requests(setup.eventsPath()).size() == 1);
    }

    @Test
    void forgedStaleAndUnsignedEventsAreRefusedAndStoredNowhere() {
        Setup setup = setUpProject();
        String body = Inbound.message("evt-" + UUID.randomUUID(), "chat-1", "should not be stored");
        long now = Instant.now().getEpochSecond();

        Reply forged = Inbound.post(api, setup.webhookPath(), body, Long.toString(now), Inbound.sign("not-the-secret-at-all-000", now, body));
        Reply tampered = Inbound.post(api, setup.webhookPath(), body.replace("stored", "STORED"), Long.toString(now),
                Inbound.sign(Messaging.SIGNING_SECRET, now, body));
        long stale = now - 600;
        Reply replayed = Inbound.post(api, setup.webhookPath(), body, Long.toString(stale), Inbound.sign(Messaging.SIGNING_SECRET, stale, body));
        Reply unsigned = Inbound.post(api, setup.webhookPath(), body, null, null);

        for (Reply reply : List.of(forged, tampered, replayed, unsigned)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
            assertThat(reply.errorCode()).isEqualTo("webhook_rejected");
            assertThat(reply.json().get("message").asText()).isNotBlank();
        }
        assertThat(inboundHistory(setup.slug())).isEmpty();
        assertThat(api.get("/api/v1/projects/" + setup.slug() + "/events/endpoints/" + setup.endpointId() + "/deliveries", admin)
                .json().get("deliveries")).isEmpty();
        assertThat(RECEIVER.requests(setup.eventsPath())).isEmpty();
    }

    @Test
    void anUnknownTokenOrAnotherPlatformsPathIsNotFound() {
        Setup setup = setUpProject();
        String token = setup.webhookPath().substring(setup.webhookPath().lastIndexOf('/') + 1);
        String body = Inbound.message("evt-" + UUID.randomUUID(), "chat-1", "nobody home");

        Reply unknown = Inbound.postSigned(api, "/webhooks/webhook/" + UUID.randomUUID(), body);
        Reply notAUuid = Inbound.postSigned(api, "/webhooks/webhook/not-a-token", body);
        Reply otherPlatform = Inbound.postSigned(api, "/webhooks/telegram/" + token, body);

        for (Reply reply : List.of(unknown, notAUuid, otherPlatform)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
            assertThat(reply.errorCode()).isEqualTo("not_found");
        }
        assertThat(inboundHistory(setup.slug())).isEmpty();
    }

    @Test
    void theApiPrefixedPathWorksTooAndButtonsBecomeButtonClickedEvents() {
        Setup setup = setUpProject();
        String eventId = "evt-btn-" + UUID.randomUUID();

        Reply reply = Inbound.postSigned(api, "/api/v1" + setup.webhookPath(), Inbound.button(eventId, "chat-9", "approve"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode item = inboundHistory(setup.slug()).get(0);
        assertThat(item.get("kind").asText()).isEqualTo("interaction");
        assertThat(item.get("interaction").asText()).isEqualTo("button");
        assertThat(item.get("value").asText()).isEqualTo("approve");
        Poll.until(Duration.ofSeconds(20), () -> !RECEIVER.requests(setup.eventsPath()).isEmpty());
        RecordedRequest forwarded = RECEIVER.requests(setup.eventsPath()).get(0);
        assertThat(forwarded.header("X-GateKit-Event").orElseThrow()).isEqualTo("button.clicked");
        assertThat(Receiver.json(forwarded).at("/data/value").asText()).isEqualTo("approve");
    }

    @Test
    void aBodyOverTheLimitIsRefusedAndStoredNowhere() {
        Setup setup = setUpProject();
        String body = Inbound.message("evt-" + UUID.randomUUID(), "chat-1", "x".repeat(1_100_000));

        Reply reply = Inbound.postSigned(api, setup.webhookPath(), body);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(inboundHistory(setup.slug())).isEmpty();
    }

    @Test
    void anEventHoldingUPlus0000IsStoredWithoutIt() {
        Setup setup = setUpProject();
        String eventId = "evt-nul-" + UUID.randomUUID();
        // Postgres stores U+0000 neither in text nor, escaped, in jsonb: the event must be taken all the same.
        String body = Inbound.message(eventId, "chat\u0000-3", "a\u0000b");

        Reply reply = Inbound.postSigned(api, setup.webhookPath(), body);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> history = inboundHistory(setup.slug());
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("text").asText()).isEqualTo("ab");
        assertThat(history.get(0).get("chatId").asText()).isEqualTo("chat-3");
        JsonNode one = api.get("/api/v1/projects/" + setup.slug() + "/messages/" + history.get(0).get("id").asText(), admin).json();
        assertThat(one.get("rawPayload").asText()).contains(eventId).doesNotContain("\\u0000");
        Poll.until(Duration.ofSeconds(20), () -> !RECEIVER.requests(setup.eventsPath()).isEmpty());
        assertThat(Receiver.json(RECEIVER.requests(setup.eventsPath()).get(0)).at("/data/text").asText()).isEqualTo("ab");
    }
}
