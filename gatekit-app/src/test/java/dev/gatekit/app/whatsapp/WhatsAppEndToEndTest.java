package dev.gatekit.app.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built whatsapp plugin jar in the real application (Postgres, Redis, the queue), talking to a
 * local Graph API: sends through the queue, Meta's failures, the webhook handshake, signed inbound
 * messages, and status updates that move what the outbound message's status shows.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WhatsAppEndToEndTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String VERSION = "v26.0";
    static final String ACCESS_TOKEN = "EAAJB3xEndToEndAccessToken";
    static final String APP_SECRET = "e2e-app-secret-4f1c9a7d2b6e";
    static final String VERIFY_TOKEN = "e2e-verify-token";
    static final FakePlatformServer GRAPH_API = FakePlatformServer.start();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + pluginsWithWhatsAppAndWebhook(), "plugins.pollIntervalMillis=200",
            "queue.workers=2", "queue.maxAttempts=3", "queue.baseRetryDelayMillis=100", "queue.maxRetryDelaySeconds=1",
            "queue.sweepIntervalMillis=500", "queue.staleAfterSeconds=2", "queue.leaseSeconds=10");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Poll.until(DEADLINE, () -> {
            String supported = api.get("/api/v1/platforms/supported", admin).text();
            return supported.contains("\"whatsapp\"") && supported.contains("\"webhook\"");
        });
    }

    @AfterAll
    static void tearDown() {
        GRAPH_API.close();
    }

    private static Path pluginsWithWhatsAppAndWebhook() {
        try {
            Path dir = Files.createTempDirectory("gatekit-whatsapp-");
            Files.copy(Path.of(System.getProperty("gatekit.test.whatsappPluginJar")), dir.resolve("whatsapp-plugin.jar"));
            Files.copy(Path.of(System.getProperty("gatekit.test.webhookPluginJar")), dir.resolve("webhook-plugin.jar"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A business phone number of its own per test, so each test scripts and reads back only its own calls. */
    record Number(String id) {
        String messages() {
            return "/" + VERSION + "/" + id + "/messages";
        }

        String phoneNumber() {
            return "/" + VERSION + "/" + id;
        }

        List<RecordedRequest> sends() {
            return GRAPH_API.requests().stream().filter(r -> r.path().equals(messages())).toList();
        }
    }

    private static Number newNumber() {
        Number number = new Number(Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L)));
        GRAPH_API.stub(number.phoneNumber(), FakeResponse.json(200,
                "{\"verified_name\":\"GateKit E2E\",\"display_phone_number\":\"+1 555-010-0000\",\"id\":\"" + number.id() + "\"}"));
        return number;
    }

    private static FakeResponse sent(String wamid, String waId) {
        return FakeResponse.json(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+" + waId + "\",\"wa_id\":\""
                + waId + "\"}],\"messages\":[{\"id\":\"" + wamid + "\"}]}");
    }

    private static FakeResponse error(int status, int code, String message) {
        return FakeResponse.json(status, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
                + ",\"fbtrace_id\":\"E2eTrace\"}}");
    }

    private static String platforms(String slug) {
        return "/api/v1/projects/" + slug + "/platforms";
    }

    private static Reply configure(String slug, Number number) {
        return api.post(platforms(slug), admin, Map.of("platform", "whatsapp",
                "credentials", Map.of("accessToken", ACCESS_TOKEN, "appSecret", APP_SECRET, "verifyToken", VERIFY_TOKEN),
                "config", Map.of("phoneNumberId", number.id(), "apiBaseUrl", GRAPH_API.baseUri().toString())));
    }

    private static String projectWith(Number number) {
        String slug = api.createProject(admin, "WhatsApp");
        Reply configured = configure(slug, number);
        assertThat(configured.status()).as(configured.toString()).isEqualTo(201);
        return slug;
    }

    private static String send(String slug, Map<String, Object> message) {
        Reply reply = api.post("/api/v1/projects/" + slug + "/messages/send", admin, message);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        return reply.json().get("jobId").asText();
    }

    private static String sendText(String slug, String to, String text) {
        return send(slug, Map.of("platform", "whatsapp", "target", Map.of("type", "user", "id", to), "text", text));
    }

    private static String webhookPath(String slug) {
        return URI.create(api.get(platforms(slug) + "/whatsapp/webhook", admin).json().get("webhookUrl").asText()).getPath();
    }

    /** Posts a notification to the webhook's path on this app, signed as Meta signs it (or with another secret). */
    private static Reply notify(String webhookPath, String body, String secret) {
        return api.send(api.request(webhookPath, null).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", hubSignature(secret, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String hubSignature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String notification(String phoneNumberId, String value) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100000","phone_number_id":"%s"},%s},
                "field":"messages"}]}]}""".formatted(phoneNumberId, value);
    }

    private static String status(String wamid, String status, long timestamp) {
        return "{\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + timestamp + "\",\"recipient_id\":\"4915123456789\"}";
    }

    private static JsonNode statusView(String slug, String jobId) {
        return Messaging.status(api, admin, slug, jobId);
    }

    private static List<JsonNode> inboundHistory(String slug) {
        Reply reply = api.get("/api/v1/projects/" + slug + "/messages?direction=inbound", admin);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("messages").forEach(items::add);
        return items;
    }

    @Test
    void aTextGoesThroughTheQueueAndItsStatusUpdatesMoveWhatItsStatusShows() throws Exception {
        Number number = newNumber();
        String slug = projectWith(number);
        String wamid = "wamid.E2E" + number.id();
        GRAPH_API.stub(number.messages(), sent(wamid, "4915123456789"));

        String jobId = sendText(slug, "+49 151 2345 6789", "Your order shipped");
        JsonNode delivered = Messaging.awaitFinal(api, admin, slug, jobId, DEADLINE);

        assertThat(delivered.get("state").asText()).as(delivered.toString()).isEqualTo("delivered");
        assertThat(delivered.at("/targets/0/platformMessageIds")).extracting(JsonNode::asText).containsExactly(wamid);
        assertThat(delivered.at("/targets/0/platformStatus").isMissingNode()).as("no status reported yet").isTrue();
        List<RecordedRequest> sends = number.sends();
        assertThat(sends).hasSize(1);
        assertThat(sends.get(0).header("Authorization")).contains("Bearer " + ACCESS_TOKEN);
        assertThat(Api.JSON.readTree(sends.get(0).bodyAsString())).isEqualTo(Api.JSON.readTree("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"text",
                 "text":{"body":"Your order shipped"}}"""));

        String webhook = webhookPath(slug);
        long now = Instant.now().getEpochSecond();
        Reply sentStatus = notify(webhook, notification(number.id(), "\"statuses\":[" + status(wamid, "sent", now) + "]"), APP_SECRET);
        assertThat(sentStatus.status()).as(sentStatus.toString()).isEqualTo(200);
        Poll.until(DEADLINE, () -> "sent".equals(statusView(slug, jobId).at("/targets/0/platformStatus/status").asText()));

        Reply forged = notify(webhook, notification(number.id(), "\"statuses\":[" + status(wamid, "failed", now + 5) + "]"), "forged");
        assertThat(forged.status()).isEqualTo(401);
        Reply later = notify(webhook, notification(number.id(), "\"statuses\":["
                + status(wamid, "delivered", now + 1) + "," + status(wamid, "read", now + 2) + "]"), APP_SECRET);
        assertThat(later.status()).isEqualTo(200);
        Poll.until(DEADLINE, () -> "read".equals(statusView(slug, jobId).at("/targets/0/platformStatus/status").asText()));

        JsonNode read = statusView(slug, jobId);
        assertThat(read.get("state").asText()).isEqualTo("delivered");
        assertThat(read.at("/targets/0/platformStatus/platformMessageId").asText()).isEqualTo(wamid);
        assertThat(read.at("/targets/0/platformStatus/at").asText()).isNotBlank();
        JsonNode history = api.get("/api/v1/projects/" + slug + "/messages/" + jobId, admin).json();
        assertThat(history.at("/targets/0/platformStatus/status").asText()).isEqualTo("read");
    }

    @Test
    void theWebhookHandshakeAnswersMetasChallengeOnlyForTheVerifyToken() {
        String slug = projectWith(newNumber());
        String webhook = webhookPath(slug);

        Reply verified = api.get(webhook + "?hub.mode=subscribe&hub.verify_token=" + URLEncoder.encode(VERIFY_TOKEN, StandardCharsets.UTF_8)
                + "&hub.challenge=1158201444", null);
        Reply refused = api.get(webhook + "?hub.mode=subscribe&hub.verify_token=guessed&hub.challenge=1158201444", null);

        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.text()).isEqualTo("1158201444");
        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void aSignedInboundMessageIsStoredAndAForgedOneRefused() {
        Number number = newNumber();
        String slug = projectWith(number);
        String webhook = webhookPath(slug);
        String message = """
                "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
                "messages":[{"from":"16505551234","id":"wamid.IN%s","timestamp":"%d","type":"text","text":{"body":"%s"}}]""";
        long now = Instant.now().getEpochSecond();

        Reply forged = notify(webhook, notification(number.id(), message.formatted("1", now, "forged")), "not-the-app-secret");
        Reply genuine = notify(webhook, notification(number.id(), message.formatted("2", now, "Does it come in blue?")), APP_SECRET);
        Reply button = notify(webhook, notification(number.id(), """
                "messages":[{"from":"16505551234","id":"wamid.IN3","timestamp":"%d","context":{"from":"15550100000","id":"wamid.ASKED"},
                "type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"refund:approve","title":"Approve"}}}]"""
                .formatted(now)), APP_SECRET);

        assertThat(forged.status()).as(forged.toString()).isEqualTo(401);
        assertThat(genuine.status()).as(genuine.toString()).isEqualTo(200);
        assertThat(button.status()).as(button.toString()).isEqualTo(200);
        List<JsonNode> history = inboundHistory(slug);
        assertThat(history).hasSize(2);
        assertThat(history.toString()).doesNotContain("forged");
        JsonNode text = history.stream().filter(i -> i.get("kind").asText().equals("message")).findFirst().orElseThrow();
        assertThat(text.get("platform").asText()).isEqualTo("whatsapp");
        assertThat(text.get("text").asText()).isEqualTo("Does it come in blue?");
        assertThat(text.get("chatId").asText()).isEqualTo("16505551234");
        assertThat(text.at("/sender/name").asText()).isEqualTo("Sheena Nelson");
        assertThat(text.get("platformMessageId").asText()).isEqualTo("wamid.IN2");
        JsonNode pressed = history.stream().filter(i -> i.get("kind").asText().equals("interaction")).findFirst().orElseThrow();
        assertThat(pressed.get("value").asText()).isEqualTo("refund:approve");
        assertThat(pressed.get("platformMessageId").asText()).isEqualTo("wamid.ASKED");
    }

    @Test
    void aTemplateSentThroughTheRestApiReachesTheGraphApiWithItsParameters() throws Exception {
        Number number = newNumber();
        String slug = projectWith(number);
        GRAPH_API.stub(number.messages(), sent("wamid.TEMPLATE" + number.id(), "4915123456789"));

        String jobId = send(slug, Map.of("platform", "whatsapp", "target", Map.of("type", "user", "id", "+4915123456789"),
                "content", Map.of("template", Map.of("name", "order_update", "language", "de_DE",
                        "body", List.of(Map.of("text", "Ada"), Map.of("name", "order_id", "text", "42")),
                        "buttons", List.of(Map.of("index", 0, "type", "quick_reply", "value", "track-42"))))));
        JsonNode status = Messaging.awaitFinal(api, admin, slug, jobId, DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("delivered");
        assertThat(Api.JSON.readTree(number.sends().get(0).bodyAsString())).isEqualTo(Api.JSON.readTree("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"template",
                 "template":{"name":"order_update","language":{"code":"de_DE"},"components":[
                   {"type":"body","parameters":[{"type":"text","text":"Ada"},{"type":"text","parameter_name":"order_id","text":"42"}]},
                   {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"track-42"}]}]}}"""));
    }

    @Test
    void aTemplateToAPlatformWithoutTemplatesIsA422NamingIt() {
        String slug = api.createProject(admin, "Templates");
        Messaging.configureWebhook(api, admin, slug, "hook", "http://127.0.0.1:9/never");

        Reply refused = api.post("/api/v1/projects/" + slug + "/messages/send", admin, Map.of("platform", "webhook",
                "target", Map.of("type", "user", "id", "u1"), "content", Map.of("template", Map.of("name", "x", "language", "en"))));
        Reply mixed = api.post("/api/v1/projects/" + slug + "/messages/send", admin, Map.of("platform", "webhook",
                "target", Map.of("type", "user", "id", "u1"),
                "content", Map.of("text", "hi", "template", Map.of("name", "x", "language", "en"))));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.text()).contains("content.template").contains("does not support template messages");
        assertThat(mixed.status()).as(mixed.toString()).isEqualTo(422);
        assertThat(mixed.text()).contains("content.template");
    }

    @Test
    void outsideTheWindowTheMessageFailsAtOnceWithReengagementRequired() {
        Number number = newNumber();
        String slug = projectWith(number);
        GRAPH_API.enqueue(number.messages(), error(400, 131047, "(#131047) Re-engagement message"));

        JsonNode status = Messaging.awaitFinal(api, admin, slug, sendText(slug, "+4915123456789", "Still there?"), DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("failed");
        assertThat(status.at("/targets/0/reasonCode").asText()).isEqualTo("reengagement_required");
        assertThat(status.at("/targets/0/attempts").asInt()).isEqualTo(1);
        assertThat(status.get("failedReason").asText()).contains("Re-engagement message");
    }

    @Test
    void throttlingIsRetriedAndTheMessageEndsDelivered() {
        Number number = newNumber();
        String slug = projectWith(number);
        GRAPH_API.enqueue(number.messages(), error(400, 130429, "(#130429) Rate limit hit"));
        GRAPH_API.stub(number.messages(), sent("wamid.AFTER" + number.id(), "4915123456789"));

        JsonNode status = Messaging.awaitFinal(api, admin, slug, sendText(slug, "+4915123456789", "after a pause"), DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("delivered");
        assertThat(status.at("/targets/0/attempts").asInt()).isEqualTo(2);
        assertThat(number.sends()).hasSize(2);
    }

    @Test
    void aTargetNotInInternationalFormatIsA422BeforeQueueing() {
        Number number = newNumber();
        String slug = projectWith(number);

        Reply refused = api.post("/api/v1/projects/" + slug + "/messages/send", admin, Map.of("platform", "whatsapp",
                "target", Map.of("type", "user", "id", "0151 2345678"), "text", "national format"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().at("/error/details/0/field").asText()).isEqualTo("targets[0].id");
        assertThat(refused.text()).contains("international format").contains("0151 2345678");
        assertThat(number.sends()).isEmpty();
        JsonNode whatsapp = api.get("/api/v1/platforms/supported", admin).json().findParents("id").stream()
                .filter(p -> "whatsapp".equals(p.get("id").asText())).findFirst().orElseThrow();
        assertThat(whatsapp.at("/targetFormats/user").asText()).contains("international format");
    }

    @Test
    void aTokenMetaRefusesIsA422WithMetasMessage() {
        Number number = new Number("555000111222333");
        GRAPH_API.stub(number.phoneNumber(), error(401, 190, "Invalid OAuth access token - Cannot parse access token"));
        String slug = api.createProject(admin, "WhatsApp");

        Reply refused = configure(slug, number);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.text()).contains("credentials.accessToken").contains("Invalid OAuth access token").doesNotContain(ACCESS_TOKEN);
        assertThat(api.get(platforms(slug), admin).text()).doesNotContain("whatsapp");
    }
}
