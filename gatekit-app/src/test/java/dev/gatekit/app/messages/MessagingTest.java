package dev.gatekit.app.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sending through the real app, Postgres, Redis and the real webhook plugin jar, to a local receiver. */
@ExtendWith(DropwizardExtensionsSupport.class)
class MessagingTest {

    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200",
            "queue.workers=4", "queue.maxAttempts=3", "queue.baseRetryDelayMillis=100", "queue.maxRetryDelaySeconds=1",
            "queue.sweepIntervalMillis=500", "queue.instanceSilenceSeconds=3", "queue.leaseSeconds=10");
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

    /** A project whose webhook platform delivers to {@code /<path>} on the receiver. */
    private static String projectDeliveringTo(String path) {
        String slug = api.createProject(admin, "Messaging");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        return slug;
    }

    private static String uniquePath() {
        return "/hook-" + UUID.randomUUID();
    }

    private static Reply send(String slug, Object body) {
        return api.post("/api/v1/projects/" + slug + "/messages/send", admin, body);
    }

    @Test
    void eachOfTheThreeShapesIsAcceptedAndDelivered() {
        String path = uniquePath();
        String slug = projectDeliveringTo(path);

        Reply codeShape = send(slug, Map.of(
                "targets", List.of(Map.of("platformId", "webhook", "type", "channel", "id", "general")),
                "content", Map.of("text", "from the code's shape"),
                "metadata", Map.of("trackingId", "t-1", "priority", "high")));
        Reply readmeShape = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u-1"),
                "content", Map.of("text", "from the README's shape")));
        Reply flatShape = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "group", "id", "g-1"),
                "text", "from the flat shape", "threadId", "th-9"));

        for (Reply reply : List.of(codeShape, readmeShape, flatShape)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
            assertThat(reply.json().get("success").asBoolean()).isTrue();
            assertThat(reply.json().get("status").asText()).isEqualTo("queued");
            assertThat(reply.json().get("jobId").asText()).isNotBlank();
            JsonNode status = Messaging.awaitFinal(api, admin, slug, reply.json().get("jobId").asText(), Duration.ofSeconds(20));
            assertThat(status.get("state").asText()).isEqualTo("delivered");
            assertThat(status.get("progress").asInt()).isEqualTo(100);
            assertThat(status.get("finishedOn").asLong()).isGreaterThan(0);
        }
        List<JsonNode> delivered = RECEIVER.bodies(path);
        assertThat(delivered).extracting(b -> b.at("/content/text").asText())
                .containsExactlyInAnyOrder("from the code's shape", "from the README's shape", "from the flat shape");
        JsonNode flat = delivered.stream().filter(b -> b.at("/content/text").asText().equals("from the flat shape")).findFirst().orElseThrow();
        assertThat(flat.at("/target/type").asText()).isEqualTo("group");
        assertThat(flat.at("/options/threadId").asText()).isEqualTo("th-9");
        JsonNode code = delivered.stream().filter(b -> b.at("/content/text").asText().equals("from the code's shape")).findFirst().orElseThrow();
        assertThat(code.at("/metadata/trackingId").asText()).isEqualTo("t-1");
    }

    @Test
    void deliveriesAreSignedSoTheReceiverCanTrustThem() {
        String path = uniquePath();
        String slug = projectDeliveringTo(path);

        String jobId = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "signed"))
                .json().get("jobId").asText();
        Messaging.awaitFinal(api, admin, slug, jobId, Duration.ofSeconds(20));

        RecordedRequest request = RECEIVER.requests(path).get(0);
        long timestamp = Long.parseLong(request.header("X-GateKit-Timestamp").orElseThrow());
        String expected = "v1=" + hmac(Messaging.SIGNING_SECRET, timestamp + "." + request.bodyAsString());
        assertThat(request.header("X-GateKit-Signature").orElseThrow()).contains(expected);
    }

    @Test
    void oneFailingTargetNeverHidesOrBlocksTheOthersAndIsRetriedOnItsOwn() {
        String goodPath = uniquePath();
        String badPath = uniquePath();
        String slug = api.createProject(admin, "Two targets");
        String good = Messaging.configureWebhook(api, admin, slug, "good", RECEIVER.url(goodPath));
        String bad = Messaging.configureWebhook(api, admin, slug, "bad", RECEIVER.url(badPath));
        for (int i = 0; i < 3; i++) {
            RECEIVER.server.enqueue(badPath, FakeResponse.status(503));
        }

        Reply reply = send(slug, Map.of("targets", List.of(
                        Map.of("platformId", good, "type", "channel", "id", "c1"),
                        Map.of("platformId", bad, "type", "channel", "id", "c2")),
                "content", Map.of("text", "to both")));
        String jobId = reply.json().get("jobId").asText();
        JsonNode status = Messaging.awaitFinal(api, admin, slug, jobId, Duration.ofSeconds(30));

        assertThat(status.get("state").asText()).isEqualTo("failed");
        JsonNode first = status.at("/targets/0");
        JsonNode second = status.at("/targets/1");
        assertThat(first.get("state").asText()).isEqualTo("delivered");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        assertThat(second.get("state").asText()).isEqualTo("failed");
        assertThat(second.get("attempts").asInt()).isEqualTo(3);
        assertThat(second.get("reasonCode").asText()).isEqualTo("retries_exhausted");
        assertThat(status.get("failedReason").asText()).contains("503");
        assertThat(RECEIVER.requests(goodPath)).hasSize(1);
        assertThat(RECEIVER.requests(badPath)).hasSize(3);

        Reply retried = api.post("/api/v1/projects/" + slug + "/messages/retry/" + jobId, admin, "");
        assertThat(retried.status()).isEqualTo(200);
        JsonNode after = Messaging.awaitFinal(api, admin, slug, jobId, Duration.ofSeconds(20));
        assertThat(after.get("state").asText()).isEqualTo("delivered");
        assertThat(RECEIVER.requests(goodPath)).as("the delivered target is not sent again").hasSize(1);

        Reply notFailed = api.post("/api/v1/projects/" + slug + "/messages/retry/" + jobId, admin, "");
        assertThat(notFailed.status()).isEqualTo(409);
        assertThat(notFailed.json().at("/error/message").asText()).contains("is not in failed state");
    }

    @Test
    void aPlatformsRetryAfterIsObeyed() {
        String path = uniquePath();
        String slug = projectDeliveringTo(path);
        RECEIVER.server.enqueue(path, FakeResponse.tooManyRequests(Duration.ofSeconds(2)));

        String jobId = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "slowly"))
                .json().get("jobId").asText();
        JsonNode status = Messaging.awaitFinal(api, admin, slug, jobId, Duration.ofSeconds(20));

        assertThat(status.get("state").asText()).isEqualTo("delivered");
        List<RecordedRequest> requests = RECEIVER.requests(path);
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aPermanentFailureEndsAtOnceWithThePluginsReason() {
        String path = uniquePath();
        String slug = projectDeliveringTo(path);
        RECEIVER.server.stub(path, FakeResponse.json(404, "{\"error\":\"no such channel\"}"));

        String jobId = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "channel", "id", "gone"), "text", "x"))
                .json().get("jobId").asText();
        JsonNode status = Messaging.awaitFinal(api, admin, slug, jobId, Duration.ofSeconds(20));

        assertThat(status.get("state").asText()).isEqualTo("failed");
        assertThat(status.at("/targets/0/attempts").asInt()).isEqualTo(1);
        assertThat(status.at("/targets/0/reasonCode").asText()).isEqualTo("invalid_target");
        assertThat(status.get("attemptsMade").asInt()).isEqualTo(1);
    }

    @Test
    void aScheduledMessageWaitsUntilItsTime() {
        String path = uniquePath();
        String slug = projectDeliveringTo(path);
        Instant at = Instant.now().plusSeconds(3);

        Reply reply = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "later",
                "options", Map.of("scheduled", at.toString())));

        String jobId = reply.json().get("jobId").asText();
        assertThat(Messaging.status(api, admin, slug, jobId).get("state").asText()).isEqualTo("delayed");
        JsonNode status = Messaging.awaitFinal(api, admin, slug, jobId, Duration.ofSeconds(20));
        assertThat(status.get("state").asText()).isEqualTo("delivered");
        assertThat(RECEIVER.requests(path).get(0).receivedAt()).isAfterOrEqualTo(at);
    }

    @Test
    void theSameIdempotencyKeyAndBodyReturnTheFirstJobAndSendNothingNew() {
        String path = uniquePath();
        String slug = projectDeliveringTo(path);
        Map<String, Object> body = Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "once");
        String key = "order-" + UUID.randomUUID();

        Reply first = api.send(api.request("/api/v1/projects/" + slug + "/messages/send", admin).header("Idempotency-Key", key)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(json(body))));
        Reply second = api.send(api.request("/api/v1/projects/" + slug + "/messages/send", admin).header("Idempotency-Key", key)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(json(body))));
        Reply different = api.send(api.request("/api/v1/projects/" + slug + "/messages/send", admin).header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json(Map.of("platform", "webhook",
                        "target", Map.of("type", "user", "id", "u"), "text", "twice")))));

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().get("jobId")).isEqualTo(first.json().get("jobId"));
        assertThat(different.status()).isEqualTo(422);
        Messaging.awaitFinal(api, admin, slug, first.json().get("jobId").asText(), Duration.ofSeconds(20));
        assertThat(RECEIVER.requests(path)).hasSize(1);
    }

    @Test
    void deliveryStaysInsideTheConfigurationsRateLimit() {
        String path = uniquePath();
        String slug = api.createProject(admin, "Limited");
        Reply configured = api.post("/api/v1/projects/" + slug + "/platforms", admin, Map.of(
                "platform", "webhook", "name", "slow", "credentials", Map.of("signingSecret", Messaging.SIGNING_SECRET),
                "config", Map.of("url", RECEIVER.url(path)), "limits", Map.of("messagesPerSecond", 2, "perTargetPerSecond", 2)));
        assertThat(configured.status()).as(configured.toString()).isEqualTo(201);

        // The configuration is new, so its first one-second window opens at its first send, after this
        // instant; six sends at two per window need three windows, so the third and fourth cannot be
        // sent before a second has passed, nor the fifth and sixth before two. Each arrives at the
        // receiver after it was sent: lower bounds that a busy machine can only make later, never earlier.
        Instant beforeTheFirstSend = Instant.now();
        List<String> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u" + i), "text", "r" + i))
                    .json().get("jobId").asText());
        }
        for (String job : jobs) {
            JsonNode status = Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(30));
            assertThat(status.get("state").asText()).isEqualTo("delivered");
        }

        List<Duration> arrivals = RECEIVER.requests(path).stream()
                .map(request -> Duration.between(beforeTheFirstSend, request.receivedAt())).sorted().toList();
        assertThat(arrivals).hasSize(6);
        assertThat(arrivals.get(2)).as("third send, in the second window").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(arrivals.get(4)).as("fifth send, in the third window").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void testModeRecordsButDoesNotDeliver() {
        String path = uniquePath();
        String slug = api.createProject(admin, "Test mode");
        String id = Messaging.configureWebhook(api, admin, slug, "dry", RECEIVER.url(path));
        api.patch("/api/v1/projects/" + slug + "/platforms/" + id, admin, Map.of("testMode", true));

        String jobId = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "dry run"))
                .json().get("jobId").asText();

        assertThat(Messaging.awaitFinal(api, admin, slug, jobId, Duration.ofSeconds(20)).get("state").asText()).isEqualTo("delivered");
        assertThat(RECEIVER.requests(path)).isEmpty();
    }

    @Test
    void invalidMessagesAreRefusedNamingTheField() {
        String slug = projectDeliveringTo(uniquePath());
        String inactive = Messaging.configureWebhook(api, admin, slug, "off", RECEIVER.url(uniquePath()));
        api.patch("/api/v1/projects/" + slug + "/platforms/" + inactive, admin, Map.of("isActive", false));

        Reply unknownPlatform = send(slug, Map.of("platform", "carrier-pigeon", "target", Map.of("type", "user", "id", "u"), "text", "x"));
        assertThat(unknownPlatform.status()).isEqualTo(422);
        assertThat(unknownPlatform.json().at("/error/details/0/field").asText()).isEqualTo("platform");

        Reply off = send(slug, Map.of("targets", List.of(Map.of("platformId", inactive, "type", "user", "id", "u")),
                "content", Map.of("text", "x")));
        assertThat(off.status()).isEqualTo(422);
        assertThat(off.json().at("/error/details/0/problem").asText()).contains("not active");

        Reply noText = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u")));
        assertThat(noText.status()).isEqualTo(422);
        assertThat(noText.json().at("/error/details/0/field").asText()).isEqualTo("content.text");

        Reply badType = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "planet", "id", "u"), "text", "x"));
        assertThat(badType.json().at("/error/details/0/field").asText()).isEqualTo("target.type");

        Reply badPriority = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "x",
                "metadata", Map.of("priority", "urgent")));
        assertThat(badPriority.json().at("/error/details/0/field").asText()).isEqualTo("metadata.priority");

        Reply badAttachment = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"),
                "content", Map.of("attachments", List.of(Map.of("url", "ftp://files.example/x.png")))));
        assertThat(badAttachment.json().at("/error/details/0/field").asText()).isEqualTo("content.attachments[0].url");

        Reply noTarget = send(slug, Map.of("content", Map.of("text", "x")));
        assertThat(noTarget.status()).isEqualTo(422);
        assertThat(noTarget.json().at("/error/details/0/field").asText()).isEqualTo("targets");

        Reply unknownField = send(slug, Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "x", "colour", "red"));
        assertThat(unknownField.status()).isEqualTo(422);
    }

    @Test
    void messagingEndpointsCheckScopesAndProjects() {
        String slug = projectDeliveringTo(uniquePath());
        String other = projectDeliveringTo(uniquePath());
        String reader = api.createKey(admin, slug, "messages:read");
        String sender = api.createKey(admin, slug, "messages:send");
        String otherSender = api.createKey(admin, other, "messages:send", "messages:read");
        Map<String, Object> body = Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "x");
        String base = "/api/v1/projects/" + slug + "/messages";

        assertThat(api.post(base + "/send", reader, body).status()).isEqualTo(403);
        assertThat(api.post(base + "/send", otherSender, body).status()).isEqualTo(404);
        assertThat(api.post(base + "/send", null, body).status()).isEqualTo(401);
        Reply sent = api.post(base + "/send", sender, body);
        assertThat(sent.status()).isEqualTo(202);
        String jobId = sent.json().get("jobId").asText();

        assertThat(api.get(base + "/status/" + jobId, sender).status()).isEqualTo(403);
        assertThat(api.get(base + "/status/" + jobId, reader).status()).isEqualTo(200);
        assertThat(api.get(base + "/status/" + jobId, otherSender).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + other + "/messages/status/" + jobId, otherSender).status())
                .as("another project's job id").isEqualTo(404);
        assertThat(api.get(base + "/status/" + jobId, null).status()).isEqualTo(401);
        assertThat(api.get(base + "/queue/metrics", sender).status()).isEqualTo(403);
        assertThat(api.get(base + "/queue/metrics", otherSender).status()).isEqualTo(404);
        assertThat(api.get(base + "/queue/metrics", null).status()).isEqualTo(401);
        assertThat(api.post(base + "/retry/" + jobId, reader, "").status()).isEqualTo(403);
        assertThat(api.post(base + "/retry/" + jobId, otherSender, "").status()).isEqualTo(404);
        assertThat(api.post(base + "/retry/" + jobId, null, "").status()).isEqualTo(401);
        assertThat(api.post("/api/v1/projects/" + other + "/messages/retry/" + jobId, otherSender, "").status()).isEqualTo(404);
    }

    @Test
    void queueMetricsCountThisProjectOnly() {
        String okPath = uniquePath();
        String failPath = uniquePath();
        String slug = api.createProject(admin, "Metrics");
        Messaging.configureWebhook(api, admin, slug, "ok", RECEIVER.url(okPath));
        String failing = Messaging.configureWebhook(api, admin, slug, "fails", RECEIVER.url(failPath));
        RECEIVER.server.stub(failPath, FakeResponse.status(400));
        projectDeliveringTo(uniquePath());

        String first = api.post("/api/v1/projects/" + slug + "/messages/send", admin, Map.of("targets",
                List.of(Map.of("platformId", failing, "type", "user", "id", "u")), "content", Map.of("text", "x"))).json().get("jobId").asText();
        Messaging.awaitFinal(api, admin, slug, first, Duration.ofSeconds(20));
        String okConfig = api.get("/api/v1/projects/" + slug + "/platforms", admin).json().findValuesAsText("id").stream()
                .filter(id -> !id.equals(failing)).findFirst().orElseThrow();
        for (int i = 0; i < 2; i++) {
            String job = api.post("/api/v1/projects/" + slug + "/messages/send", admin, Map.of("targets",
                    List.of(Map.of("platformId", okConfig, "type", "user", "id", "u" + i)), "content", Map.of("text", "x"))).json().get("jobId").asText();
            Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(20));
        }

        JsonNode metrics = api.get("/api/v1/projects/" + slug + "/messages/queue/metrics", admin).json();
        assertThat(metrics.get("completed").asLong()).isEqualTo(2);
        assertThat(metrics.get("failed").asLong()).isEqualTo(1);
        assertThat(metrics.get("total").asLong()).isEqualTo(3);
        assertThat(metrics.get("waiting").asLong()).isZero();
        assertThat(metrics.get("active").asLong()).isZero();
        assertThat(metrics.has("delayed")).isTrue();
        assertThat(metrics.has("paused")).isTrue();
    }

    private static String json(Object value) {
        try {
            return Api.JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(String secret, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
