package dev.gatekit.app.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.plugin.testkit.FakeResponse;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The batch endpoint, and one tenant's slow endpoint never holding up another tenant's messages. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BatchAndIsolationTest {

    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200",
            "queue.workers=8", "queue.sweepIntervalMillis=500", "queue.instanceSilenceSeconds=3", "queue.leaseSeconds=30");
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

    private static Map<String, Object> message(String text) {
        return Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", text);
    }

    private static Set<String> deliveredTexts(String path) {
        return RECEIVER.bodies(path).stream().map(b -> b.at("/content/text").asText()).collect(Collectors.toSet());
    }

    @Test
    void aBatchIsAcceptedWholeAndEveryMessageIsDelivered() {
        String path = "/batch-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Batch");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            messages.add(message("b-" + i));
        }

        Reply reply = api.post("/api/v1/projects/" + slug + "/messages/batch", admin, Map.of("messages", messages));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.json().get("accepted").asInt()).isEqualTo(300);
        assertThat(reply.json().get("rejected").asInt()).isZero();
        JsonNode results = reply.json().get("results");
        assertThat(results).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(results.get(i).get("status").asInt()).isEqualTo(202);
        }
        Poll.until(Duration.ofSeconds(60), () -> deliveredTexts(path).size() == 300);
        String lastJob = results.get(299).get("jobId").asText();
        assertThat(Messaging.awaitFinal(api, admin, slug, lastJob, Duration.ofSeconds(10)).get("state").asText()).isEqualTo("delivered");
    }

    @Test
    void eachMessageOfABatchHasItsOwnResultAndTheValidOnesGoThrough() {
        String path = "/mixed-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Mixed batch");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        Map<String, Object> keyed = new HashMap<>(message("keyed"));
        keyed.put("idempotencyKey", "batch-key-1");
        List<Object> messages = List.of(
                message("good-0"),
                Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u")),
                Map.of("platform", "nope", "target", Map.of("type", "user", "id", "u"), "text", "x"),
                Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "x", "surprise", 1),
                keyed,
                "not an object",
                message("good-6"));

        Reply reply = api.post("/api/v1/projects/" + slug + "/messages/batch", admin, Map.of("messages", messages));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(207);
        JsonNode results = reply.json().get("results");
        assertThat(reply.json().get("accepted").asInt()).isEqualTo(3);
        assertThat(reply.json().get("rejected").asInt()).isEqualTo(4);
        assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(422);
        assertThat(results.get(1).at("/error/details/0/field").asText()).isNotBlank();
        assertThat(results.get(2).get("status").asInt()).isEqualTo(422);
        assertThat(results.get(2).at("/error/details/0/field").asText()).isEqualTo("platform");
        assertThat(results.get(3).get("status").asInt()).isEqualTo(422);
        assertThat(results.get(3).at("/error/details/0/field").asText()).isEqualTo("surprise");
        assertThat(results.get(4).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(5).get("status").asInt()).isEqualTo(422);
        assertThat(results.get(5).at("/error/details/0/field").asText()).isEqualTo("messages[5]");
        assertThat(results.get(6).get("status").asInt()).isEqualTo(202);
        Poll.until(Duration.ofSeconds(30), () -> deliveredTexts(path).equals(Set.of("good-0", "keyed", "good-6")));

        // The item's idempotency key works as the header does on a single send: the same job again, nothing new sent.
        Reply again = api.post("/api/v1/projects/" + slug + "/messages/batch", admin, Map.of("messages", List.of(keyed)));
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().at("/results/0/jobId").asText()).isEqualTo(results.get(4).get("jobId").asText());
        Map<String, Object> reused = new HashMap<>(message("another body"));
        reused.put("idempotencyKey", "batch-key-1");
        Reply conflict = api.post("/api/v1/projects/" + slug + "/messages/batch", admin, Map.of("messages", List.of(reused)));
        assertThat(conflict.status()).isEqualTo(207);
        assertThat(conflict.json().at("/results/0/status").asInt()).isEqualTo(422);
        assertThat(conflict.json().at("/results/0/error/code").asText()).isEqualTo("idempotency_key_reused");
        assertThat(RECEIVER.requests(path)).hasSize(3);
    }

    @Test
    void aBatchOutsideItsBoundsIsRefusedWhole() {
        String slug = api.createProject(admin, "Bounds");
        String base = "/api/v1/projects/" + slug + "/messages/batch";
        assertThat(api.post(base, admin, Map.of("messages", List.of())).status()).isEqualTo(422);
        assertThat(api.post(base, admin, Map.of("other", 1)).json().at("/error/details/0/field").asText()).isEqualTo("messages");
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("text", "t"));
        }
        Reply refused = api.post(base, admin, Map.of("messages", tooMany));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().at("/error/details/0/field").asText()).isEqualTo("messages");
    }

    @Test
    void theBatchEndpointChecksScopesAndProjects() {
        String slug = api.createProject(admin, "Batch scopes");
        String other = api.createProject(admin, "Batch other");
        String reader = api.createKey(admin, slug, "messages:read");
        String otherSender = api.createKey(admin, other, "messages:send");
        String base = "/api/v1/projects/" + slug + "/messages/batch";
        Map<String, Object> body = Map.of("messages", List.of(message("x")));
        assertThat(api.post(base, reader, body).status()).isEqualTo(403);
        assertThat(api.post(base, otherSender, body).status()).isEqualTo(404);
        assertThat(api.post(base, null, body).status()).isEqualTo(401);
    }

    @Test
    void aProjectWhoseEndpointHangsNeverDelaysAnotherProjectsMessages() {
        String slowPath = "/slow-" + UUID.randomUUID();
        String fastPath = "/fast-" + UUID.randomUUID();
        RECEIVER.server.stub(slowPath, FakeResponse.ok().withDelay(Duration.ofSeconds(6)));
        String slow = api.createProject(admin, "Slow tenant");
        Messaging.configureWebhook(api, admin, slow, "hook", RECEIVER.url(slowPath));
        String fast = api.createProject(admin, "Fast tenant");
        Messaging.configureWebhook(api, admin, fast, "hook", RECEIVER.url(fastPath));
        List<Object> backlog = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            backlog.add(message("slow-" + i));
        }
        assertThat(api.post("/api/v1/projects/" + slow + "/messages/batch", admin, Map.of("messages", backlog)).status()).isEqualTo(202);
        Poll.until(Duration.ofSeconds(10), () -> !RECEIVER.requests(slowPath).isEmpty());

        String job = api.post("/api/v1/projects/" + fast + "/messages/send", admin, message("fast")).json().get("jobId").asText();

        // Delivered while the slow tenant's first sends are still waiting on their 6-second answers.
        JsonNode status = Messaging.awaitFinal(api, admin, fast, job, Duration.ofSeconds(5));
        assertThat(status.get("state").asText()).isEqualTo("delivered");
        assertThat(deliveredTexts(fastPath)).containsExactly("fast");
        java.time.Instant firstSlowAnswer = RECEIVER.requests(slowPath).get(0).receivedAt().plusSeconds(6);
        assertThat(status.get("finishedOn").asLong()).isLessThan(firstSlowAnswer.toEpochMilli());
    }
}
