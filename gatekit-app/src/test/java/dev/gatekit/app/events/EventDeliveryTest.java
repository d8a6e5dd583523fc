package dev.gatekit.app.events;

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
import dev.gatekit.plugin.testkit.RecordedRequest;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events to a project's own endpoint through the reliable event queue: retried until delivered, logged, redeliverable. */
@ExtendWith(DropwizardExtensionsSupport.class)
class EventDeliveryTest {

    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200",
            "queue.maxAttempts=2", "queue.baseRetryDelayMillis=100", "queue.maxRetryDelaySeconds=1",
            "events.allowPrivateEndpoints=true", "events.maxAttempts=20", "events.baseRetryDelayMillis=100",
            "events.maxRetryDelaySeconds=1", "events.sweepIntervalMillis=500", "events.staleAfterSeconds=2");
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

    private static String endpoints(String slug) {
        return "/api/v1/projects/" + slug + "/events/endpoints";
    }

    private static JsonNode createEndpoint(String slug, String path, List<String> kinds) {
        Reply reply = api.post(endpoints(slug), admin, Map.of("url", RECEIVER.url(path), "kinds", kinds));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private static List<JsonNode> deliveries(String slug, String endpointId) {
        List<JsonNode> list = new ArrayList<>();
        api.get(endpoints(slug) + "/" + endpointId + "/deliveries", admin).json().get("deliveries").forEach(list::add);
        return list;
    }

    @Test
    void anEndpointThatFailsForAWhileStillGetsEveryEventAfterwards() {
        String slug = api.createProject(admin, "Events");
        String config = Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url("/out-" + UUID.randomUUID()));
        String webhookPath = "/webhooks/webhook/" + Inbound.token(api, admin, slug, config);
        String eventsPath = "/events-" + UUID.randomUUID();
        JsonNode endpoint = createEndpoint(slug, eventsPath, List.of("message.received"));
        for (int i = 0; i < 6; i++) {
            RECEIVER.server.enqueue(eventsPath, FakeResponse.status(500));
        }
        Set<String> sent = Set.of("evt-a-" + UUID.randomUUID(), "evt-b-" + UUID.randomUUID(), "evt-c-" + UUID.randomUUID());

        for (String id : sent) {
            assertThat(Inbound.postSigned(api, webhookPath, Inbound.message(id, "chat", "text " + id)).status()).isEqualTo(200);
        }

        Poll.until(Duration.ofSeconds(40), () -> deliveries(slug, endpoint.get("id").asText()).stream()
                .allMatch(d -> d.get("state").asText().equals("delivered")));
        List<RecordedRequest> requests = RECEIVER.requests(eventsPath);
        assertThat(requests.size()).isGreaterThanOrEqualTo(9);
        assertThat(requests.stream().map(r -> Receiver.json(r).at("/data/platformEventId").asText()).collect(Collectors.toSet()))
                .isEqualTo(sent);
        List<JsonNode> log = deliveries(slug, endpoint.get("id").asText());
        assertThat(log).hasSize(3);
        assertThat(log.stream().mapToInt(d -> d.get("attempts").asInt()).sum()).isEqualTo(requests.size());
        assertThat(log).allSatisfy(d -> assertThat(d.get("lastStatusCode").asInt()).isEqualTo(200));
    }

    @Test
    void sentMessagesReportDeliveredAndFailedTargets() {
        String slug = api.createProject(admin, "Outcomes");
        String goodPath = "/good-" + UUID.randomUUID();
        String badPath = "/bad-" + UUID.randomUUID();
        String good = Messaging.configureWebhook(api, admin, slug, "good", RECEIVER.url(goodPath));
        String bad = Messaging.configureWebhook(api, admin, slug, "bad", RECEIVER.url(badPath));
        RECEIVER.server.stub(badPath, FakeResponse.status(404));
        String eventsPath = "/events-" + UUID.randomUUID();
        createEndpoint(slug, eventsPath, List.of("message.delivered", "message.failed"));

        Reply sent = api.post("/api/v1/projects/" + slug + "/messages/send", admin, Map.of("targets", List.of(
                        Map.of("platformId", good, "type", "channel", "id", "c-good"),
                        Map.of("platformId", bad, "type", "channel", "id", "c-bad")),
                "content", Map.of("text", "two ways"), "metadata", Map.of("trackingId", "track-1")));
        String jobId = sent.json().get("jobId").asText();

        Poll.until(Duration.ofSeconds(30), () -> RECEIVER.requests(eventsPath).size() >= 2);
        Map<String, JsonNode> byType = RECEIVER.requests(eventsPath).stream().map(Receiver::json)
                .collect(Collectors.toMap(e -> e.get("type").asText(), e -> e));
        assertThat(byType.keySet()).containsExactlyInAnyOrder("message.delivered", "message.failed");
        JsonNode delivered = byType.get("message.delivered");
        assertThat(delivered.at("/data/jobId").asText()).isEqualTo(jobId);
        assertThat(delivered.at("/data/target/id").asText()).isEqualTo("c-good");
        assertThat(delivered.at("/data/trackingId").asText()).isEqualTo("track-1");
        JsonNode failed = byType.get("message.failed");
        assertThat(failed.at("/data/target/id").asText()).isEqualTo("c-bad");
        assertThat(failed.at("/data/reasonCode").asText()).isEqualTo("invalid_target");
    }

    @Test
    void theSecretIsShownOnceAndRollsAndADeliveryCanBeRedelivered() {
        String slug = api.createProject(admin, "Endpoints");
        String config = Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url("/out-" + UUID.randomUUID()));
        String webhookPath = "/webhooks/webhook/" + Inbound.token(api, admin, slug, config);
        String eventsPath = "/events-" + UUID.randomUUID();
        JsonNode created = createEndpoint(slug, eventsPath, List.of("message.received"));
        String id = created.get("id").asText();
        assertThat(created.get("secret").asText()).startsWith("whsec_");

        JsonNode listed = api.get(endpoints(slug), admin).json().get("endpoints");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("secret")).isFalse();
        assertThat(api.get(endpoints(slug) + "/" + id, admin).json().has("secret")).isFalse();

        Reply rolled = api.post(endpoints(slug) + "/" + id + "/roll-secret", admin, Map.of());
        assertThat(rolled.status()).isEqualTo(200);
        String secret = rolled.json().get("secret").asText();
        assertThat(secret).isNotEqualTo(created.get("secret").asText());

        String eventId = "evt-" + UUID.randomUUID();
        Inbound.postSigned(api, webhookPath, Inbound.message(eventId, "chat", "again"));
        Poll.until(Duration.ofSeconds(20), () -> deliveries(slug, id).stream().anyMatch(d -> d.get("state").asText().equals("delivered")));
        RecordedRequest first = RECEIVER.requests(eventsPath).get(0);
        long ts = Long.parseLong(first.header("X-GateKit-Timestamp").orElseThrow());
        assertThat(first.header("X-GateKit-Signature").orElseThrow()).isEqualTo(Inbound.sign(secret, ts, first.bodyAsString()));

        String deliveryId = deliveries(slug, id).get(0).get("id").asText();
        Reply redelivered = api.post(endpoints(slug) + "/" + id + "/deliveries/" + deliveryId + "/redeliver", admin, Map.of());
        assertThat(redelivered.status()).as(redelivered.toString()).isEqualTo(202);
        Poll.until(Duration.ofSeconds(20), () -> RECEIVER.requests(eventsPath).size() == 2);
        JsonNode again = Receiver.json(RECEIVER.requests(eventsPath).get(1));
        assertThat(again.get("id").asText()).isEqualTo(Receiver.json(first).get("id").asText());
        assertThat(RECEIVER.requests(eventsPath).get(1).header("X-GateKit-Delivery").orElseThrow())
                .isEqualTo(redelivered.json().get("id").asText());

        Reply off = api.patch(endpoints(slug) + "/" + id, admin, Map.of("isActive", false, "kinds", List.of("*")));
        assertThat(off.json().get("isActive").asBoolean()).isFalse();
        assertThat(off.json().get("kinds")).hasSize(1);
        assertThat(api.delete(endpoints(slug) + "/" + id, admin).status()).isEqualTo(204);
        assertThat(api.get(endpoints(slug) + "/" + id, admin).status()).isEqualTo(404);
    }

    @Test
    void badEndpointsAreRefusedWithTheField() {
        String slug = api.createProject(admin, "Bad endpoints");

        Reply noUrl = api.post(endpoints(slug), admin, Map.of("kinds", List.of("message.received")));
        Reply ftp = api.post(endpoints(slug), admin, Map.of("url", "ftp://example.com/x", "kinds", List.of("message.received")));
        Reply unknownKind = api.post(endpoints(slug), admin, Map.of("url", RECEIVER.url("/x"), "kinds", List.of("message.exploded")));
        Reply noKinds = api.post(endpoints(slug), admin, Map.of("url", RECEIVER.url("/x"), "kinds", List.of()));

        assertThat(List.of(noUrl, ftp, unknownKind, noKinds)).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(422));
        assertThat(noUrl.json().at("/error/details/0/field").asText()).isEqualTo("url");
        assertThat(unknownKind.json().at("/error/details/0/field").asText()).isEqualTo("kinds");
    }

    @Test
    void scopes() {
        String slug = api.createProject(admin, "Event scopes");
        String other = api.createProject(admin, "Event scopes other");
        String reader = api.createKey(admin, slug, "projects:read");
        String writer = api.createKey(admin, slug, "projects:write", "projects:read");
        String sender = api.createKey(admin, slug, "messages:send");
        String stranger = api.createKey(admin, other, "projects:read", "projects:write");
        Map<String, Object> body = Map.of("url", RECEIVER.url("/scoped"), "kinds", List.of("*"));

        assertThat(api.post(endpoints(slug), null, body).status()).isEqualTo(401);
        assertThat(api.get(endpoints(slug), null).status()).isEqualTo(401);
        assertThat(api.post(endpoints(slug), reader, body).status()).isEqualTo(403);
        assertThat(api.get(endpoints(slug), sender).status()).isEqualTo(403);
        assertThat(api.post(endpoints(slug), stranger, body).status()).isEqualTo(404);
        assertThat(api.get(endpoints(slug), stranger).status()).isEqualTo(404);

        Reply created = api.post(endpoints(slug), writer, body);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(api.get(endpoints(slug), reader).status()).isEqualTo(200);
        assertThat(api.get(endpoints(slug) + "/" + id + "/deliveries", reader).status()).isEqualTo(200);
        assertThat(api.patch(endpoints(slug) + "/" + id, reader, Map.of("isActive", false)).status()).isEqualTo(403);
        assertThat(api.post(endpoints(slug) + "/" + id + "/roll-secret", reader, Map.of()).status()).isEqualTo(403);
        assertThat(api.delete(endpoints(slug) + "/" + id, reader).status()).isEqualTo(403);
        assertThat(api.get(endpoints(other) + "/" + id, stranger).status()).isEqualTo(404);
        assertThat(api.delete(endpoints(slug) + "/" + id, writer).status()).isEqualTo(204);
    }
}
