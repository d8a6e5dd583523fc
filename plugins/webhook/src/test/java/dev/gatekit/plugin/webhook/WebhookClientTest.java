package dev.gatekit.plugin.webhook;

import static dev.gatekit.plugin.webhook.WebhookPlatformContractTest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.DeliveryStatusUpdate;
import dev.gatekit.plugin.api.Embed;
import dev.gatekit.plugin.api.EmbedField;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.MessageReceived;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.SendOptions;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.TextFormat;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WebhookClientTest {

    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final WebhookPlatformProvider provider = new WebhookPlatformProvider();
    private FakePlatformServer server;
    private TestPlatformContext context;
    private PlatformClient client;

    @BeforeEach
    void start() throws Exception {
        server = FakePlatformServer.start();
        context = TestPlatformContext.forServer(server).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
        client = provider.openClient(configuration(Map.of()), context);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private PlatformConfiguration configuration(Map<String, String> extraSettings) {
        Map<String, String> settings = new HashMap<>(Map.of("url", server.baseUri().resolve("hook").toString()));
        settings.putAll(extraSettings);
        return new PlatformConfiguration("cfg-1", "proj-1", Map.of("signingSecret", SECRET), settings, false);
    }

    private static OutboundMessage simpleMessage() {
        return new OutboundMessage("msg-1", Target.user("u-42"), MessageContent.text("hi"), null, null);
    }

    /** An HMAC written independently of WebhookSignature, so a bug there cannot hide here. */
    private static String expectedSignature(String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void sendPostsSignedJson() throws Exception {
        server.enqueue(FakeResponse.json(200, "{\"id\":\"remote-7\"}"));
        OutboundMessage message = new OutboundMessage("msg-1", Target.channel("c-9"),
                new MessageContent("**hello**", TextFormat.MARKDOWN,
                        List.of(Attachment.fromUrl(URI.create("https://files.example/a.png"), "a.png", "image/png"),
                                Attachment.inline(new byte[] {1, 2, 3}, "b.bin", null)),
                        List.of(Button.action("Yes", "yes"), Button.link("Docs", URI.create("https://docs.example"))),
                        List.of(new Embed("Title", "Body", 0x00FF00, null, null, null, null, null,
                                List.of(new EmbedField("k", "v", true)), null))),
                new SendOptions("r-1", "t-1", true), Map.of("orderId", "o-5"));

        DeliveryReceipt receipt = client.send(message);

        assertThat(receipt.platformMessageIds()).containsExactly("remote-7");
        RecordedRequest request = server.takeRequest(WAIT);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hook");
        assertThat(request.header("Content-Type")).contains("application/json");
        assertThat(request.header("X-GateKit-Message-Id")).contains("msg-1");
        assertThat(request.header("X-GateKit-Timestamp")).contains(Long.toString(NOW.getEpochSecond()));
        assertThat(request.header("X-GateKit-Signature"))
                .contains(expectedSignature(Long.toString(NOW.getEpochSecond()), request.body()));

        Map<String, Object> json = JSON.std.mapFrom(request.body());
        assertThat(json).containsEntry("messageId", "msg-1").containsEntry("timestamp", "2030-01-02T03:04:05Z")
                .containsEntry("target", Map.of("type", "channel", "id", "c-9"))
                .containsEntry("metadata", Map.of("orderId", "o-5"))
                .containsEntry("options", Map.of("replyTo", "r-1", "threadId", "t-1", "silent", true));
        @SuppressWarnings("unchecked")
        Map<String, Object> content = (Map<String, Object>) json.get("content");
        assertThat(content).containsEntry("text", "**hello**").containsEntry("format", "markdown");
        assertThat(content.get("attachments")).isEqualTo(List.of(
                Map.of("url", "https://files.example/a.png", "filename", "a.png", "mimeType", "image/png"),
                Map.of("data", "AQID", "filename", "b.bin")));
        assertThat(content.get("buttons")).isEqualTo(List.of(
                Map.of("text", "Yes", "value", "yes", "style", "primary"),
                Map.of("text", "Docs", "url", "https://docs.example", "style", "link")));
        assertThat(content.get("embeds")).isEqualTo(List.of(Map.of("title", "Title", "description", "Body",
                "color", 0x00FF00, "fields", List.of(Map.of("name", "k", "value", "v", "inline", true)))));
    }

    @Test
    void receiptFallsBackToTheMessageId() throws Exception {
        server.enqueue(FakeResponse.status(204));
        server.enqueue(FakeResponse.text(200, "not json"));
        assertThat(client.send(simpleMessage()).platformMessageIds()).containsExactly("msg-1");
        assertThat(client.send(simpleMessage()).platformMessageIds()).containsExactly("msg-1");
    }

    @Test
    void retryAfterInSeconds() {
        server.enqueue(FakeResponse.tooManyRequests(Duration.ofSeconds(42)));
        RetryableDeliveryException e = catchThrowableOfType(() -> client.send(simpleMessage()),
                RetryableDeliveryException.class);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(42));
    }

    @Test
    void retryAfterAsHttpDate() {
        server.enqueue(FakeResponse.tooManyRequestsUntil(NOW.plusSeconds(90).atZone(ZoneOffset.UTC)));
        RetryableDeliveryException e = catchThrowableOfType(() -> client.send(simpleMessage()),
                RetryableDeliveryException.class);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
    }

    @Test
    void retryAfterInThePastMeansNow() {
        server.enqueue(FakeResponse.tooManyRequestsUntil(NOW.minusSeconds(90).atZone(ZoneOffset.UTC)));
        RetryableDeliveryException e = catchThrowableOfType(() -> client.send(simpleMessage()),
                RetryableDeliveryException.class);
        assertThat(e.retryAfter()).contains(Duration.ZERO);
    }

    @Test
    void serverErrorsAreRetryableAndKeepRetryAfter() {
        server.enqueue(FakeResponse.status(502));
        server.enqueue(FakeResponse.status(503).withHeader("Retry-After", "3"));
        RetryableDeliveryException badGateway = catchThrowableOfType(() -> client.send(simpleMessage()), RetryableDeliveryException.class);
        assertThat(badGateway.retryAfter()).isEmpty();
        assertThat(badGateway.platformStatus()).hasValue(502);
        RetryableDeliveryException unavailable = catchThrowableOfType(() -> client.send(simpleMessage()), RetryableDeliveryException.class);
        assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(unavailable.platformStatus()).hasValue(503);
    }

    @Test
    void clientErrorsMapToReasonCodes() {
        Map<Integer, String> expected = Map.of(400, "rejected_by_endpoint", 401, "unauthorized",
                403, "unauthorized", 404, "invalid_target", 413, "content_too_large", 422, "rejected_by_endpoint");
        expected.forEach((status, code) -> {
            server.enqueue(FakeResponse.status(status));
            PermanentDeliveryException e = catchThrowableOfType(() -> client.send(simpleMessage()),
                    PermanentDeliveryException.class);
            assertThat(e.reasonCode()).as("status %d", status).isEqualTo(code);
        });
    }

    @Test
    void slowEndpointTimesOut() throws Exception {
        PlatformClient impatient = provider.openClient(configuration(Map.of("timeoutSeconds", "1")), context);
        server.enqueue(FakeResponse.ok().withDelay(Duration.ofSeconds(20)));
        long started = System.nanoTime();
        Throwable thrown = catchThrowable(() -> impatient.send(simpleMessage()));
        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void unreachableEndpointIsRetryable() throws Exception {
        FakePlatformServer gone = FakePlatformServer.start();
        String url = gone.baseUri().resolve("hook").toString();
        gone.close();
        PlatformClient unreachable = provider.openClient(new PlatformConfiguration("c", "p",
                Map.of("signingSecret", SECRET), Map.of("url", url), false), context);
        assertThat(catchThrowable(() -> unreachable.send(simpleMessage()))).isInstanceOf(RetryableDeliveryException.class);
    }

    @Test
    void invalidConfigurationNamesTheField() {
        assertInvalid(Map.of("signingSecret", "short"), Map.of("url", "https://x.example"), "signingSecret");
        assertInvalid(Map.of("signingSecret", SECRET), Map.of("url", "ftp://x.example/"), "url");
        assertInvalid(Map.of("signingSecret", SECRET), Map.of("url", "not a url"), "url");
        assertInvalid(Map.of("signingSecret", SECRET), Map.of("url", "/relative"), "url");
        assertInvalid(Map.of("signingSecret", SECRET), Map.of("url", "https://x.example", "timeoutSeconds", "abc"),
                "timeoutSeconds");
        assertInvalid(Map.of("signingSecret", SECRET), Map.of("url", "https://x.example", "timeoutSeconds", "0"),
                "timeoutSeconds");
        assertInvalid(Map.of("signingSecret", SECRET), Map.of("url", "https://x.example", "maxConcurrentRequests", "0"),
                "maxConcurrentRequests");
        assertInvalid(Map.of("signingSecret", SECRET), Map.of("url", "https://x.example", "maxConcurrentRequests", "many"),
                "maxConcurrentRequests");
    }

    private void assertInvalid(Map<String, String> credentials, Map<String, String> settings, String field) {
        PlatformConfiguration configuration = new PlatformConfiguration("c", "p", credentials, settings, false);
        InvalidConfigurationException e = catchThrowableOfType(() -> provider.validateCredentials(configuration, context),
                InvalidConfigurationException.class);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).doesNotContain(SECRET);
    }

    @Test
    void healthIsUpUntilClosed() {
        assertThat(client.health().state()).isEqualTo(HealthStatus.State.UP);
        client.close();
        client.close();
        assertThat(client.health().state()).isEqualTo(HealthStatus.State.DOWN);
        assertThat(catchThrowable(() -> client.send(simpleMessage()))).isInstanceOf(RetryableDeliveryException.class);
        assertThat(server.requests()).isEmpty();
    }

    // ---- inbound ----

    private static WebhookRequest signed(String body, long timestamp, String signature) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("x-gatekit-timestamp", List.of(Long.toString(timestamp)));
        if (signature != null) {
            headers.put("X-GATEKIT-SIGNATURE", List.of(signature));
        }
        return new WebhookRequest("POST", "/webhooks/webhook/t", headers, Map.of(),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", NOW);
    }

    private static WebhookRequest signed(String body, long timestamp) throws Exception {
        return signed(body, timestamp, expectedSignature(Long.toString(timestamp), body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void signedMessageIsAccepted() throws Exception {
        String body = "{\"id\":\"e-1\",\"chatId\":\"c-1\",\"senderId\":\"u-1\",\"senderName\":\"Ann\",\"text\":\"hi\","
                + "\"threadId\":\"t-1\",\"replyTo\":\"m-0\",\"messageId\":\"m-1\","
                + "\"attachments\":[{\"url\":\"https://f.example/x.png\",\"filename\":\"x.png\",\"mimeType\":\"image/png\",\"size\":12}]}";
        WebhookResult result = client.handleWebhook(signed(body, NOW.getEpochSecond()));

        assertThat(result.authentic()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(new String(result.responseBody(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(result.events()).singleElement().isInstanceOfSatisfying(MessageReceived.class, m -> {
            assertThat(m.eventId()).isEqualTo("e-1");
            assertThat(m.chatId()).isEqualTo("c-1");
            assertThat(m.senderId()).isEqualTo("u-1");
            assertThat(m.senderName()).isEqualTo("Ann");
            assertThat(m.text()).isEqualTo("hi");
            assertThat(m.threadId()).isEqualTo("t-1");
            assertThat(m.replyToId()).isEqualTo("m-0");
            assertThat(m.platformMessageId()).isEqualTo("m-1");
            assertThat(m.receivedAt()).isEqualTo(NOW);
            assertThat(m.rawPayload()).isEqualTo(body);
            assertThat(m.attachments()).singleElement().satisfies(a -> {
                assertThat(a.url()).isEqualTo(URI.create("https://f.example/x.png"));
                assertThat(a.sizeBytes()).isEqualTo(12L);
            });
        });
    }

    @Test
    void signedInteractionAndStatusAreAccepted() throws Exception {
        WebhookResult interaction = client.handleWebhook(signed(
                "{\"type\":\"interaction\",\"id\":\"e-2\",\"value\":\"approve\",\"userId\":\"u-1\",\"chatId\":\"c-1\",\"messageId\":\"m-1\"}",
                NOW.getEpochSecond()));
        assertThat(interaction.events()).singleElement().isInstanceOfSatisfying(InteractionReceived.class, i -> {
            assertThat(i.kind()).isEqualTo(InteractionReceived.Kind.BUTTON);
            assertThat(i.value()).isEqualTo("approve");
            assertThat(i.userId()).isEqualTo("u-1");
            assertThat(i.platformMessageId()).isEqualTo("m-1");
        });
        WebhookResult status = client.handleWebhook(signed(
                "{\"type\":\"status\",\"id\":\"e-3\",\"messageId\":\"remote-7\",\"status\":\"read\"}", NOW.getEpochSecond()));
        assertThat(status.events()).singleElement().isInstanceOfSatisfying(DeliveryStatusUpdate.class,
                s -> assertThat(s.status()).isEqualTo(DeliveryStatusUpdate.Status.READ));
    }

    @Test
    void timestampsInsideTheReplayWindowAreAccepted() throws Exception {
        String body = "{\"id\":\"e-1\",\"chatId\":\"c-1\",\"text\":\"hi\"}";
        assertThat(client.handleWebhook(signed(body, NOW.minusSeconds(299).getEpochSecond())).authentic()).isTrue();
        assertThat(client.handleWebhook(signed(body, NOW.plusSeconds(299).getEpochSecond())).authentic()).isTrue();
    }

    @Test
    void rotatedSecretsMayBothBeSent() throws Exception {
        String body = "{\"id\":\"e-1\",\"chatId\":\"c-1\",\"text\":\"hi\"}";
        long ts = NOW.getEpochSecond();
        String good = expectedSignature(Long.toString(ts), body.getBytes(StandardCharsets.UTF_8));
        assertThat(client.handleWebhook(signed(body, ts, "v1=" + "0".repeat(64) + ", " + good)).authentic()).isTrue();
    }

    @Test
    void forgedStaleOrUnsignedRequestsAreRejected() throws Exception {
        String body = "{\"id\":\"e-1\",\"chatId\":\"c-1\",\"text\":\"hi\"}";
        long ts = NOW.getEpochSecond();
        String good = expectedSignature(Long.toString(ts), body.getBytes(StandardCharsets.UTF_8));

        assertRejected(signed(body, ts, WebhookSignature.sign("another-secret-0123456789", ts, body.getBytes(StandardCharsets.UTF_8))), 401);
        assertRejected(signed(body.replace("hi", "ho"), ts, good), 401);
        assertRejected(signed(body, ts + 1, good), 401);
        assertRejected(signed(body, ts, null), 401);
        assertRejected(signed(body, ts, good.substring(3)), 401);
        assertRejected(signed(body, NOW.minusSeconds(301).getEpochSecond()), 401);
        assertRejected(signed(body, NOW.plusSeconds(301).getEpochSecond()), 401);
        assertRejected(new WebhookRequest("POST", "/", Map.of("X-GateKit-Signature", List.of(good)), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), null, NOW), 401);
        assertRejected(new WebhookRequest("POST", "/", Map.of("X-GateKit-Timestamp", List.of("yesterday"),
                "X-GateKit-Signature", List.of(good)), Map.of(), body.getBytes(StandardCharsets.UTF_8), null, NOW), 401);
        assertRejected(new WebhookRequest("GET", "/", Map.of(), Map.of(), null, null, NOW), 405);
        assertThat(context.publishedEvents()).isEmpty();
    }

    @Test
    void signedButMalformedPayloadIsABadRequest() throws Exception {
        assertRejected(signed("not json", NOW.getEpochSecond()), 400);
        assertRejected(signed("{\"id\":\"e-1\",\"text\":\"no chat\"}", NOW.getEpochSecond()), 400);
        assertRejected(signed("{\"type\":\"wat\",\"id\":\"e-1\"}", NOW.getEpochSecond()), 400);
    }

    private void assertRejected(WebhookRequest request, int status) {
        WebhookResult result = client.handleWebhook(request);
        assertThat(result.authentic()).as("authentic").isFalse();
        assertThat(result.httpStatus()).isEqualTo(status);
        assertThat(result.events()).isEmpty();
    }
}
