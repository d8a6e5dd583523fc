package dev.gatekit.app.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.FakeBotApi.Call;
import dev.gatekit.app.support.FakeBotApi;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built telegram plugin jar in the real application (Postgres, Redis, the queue), talking to a
 * local Bot API: sends, Telegram's failures, webhook registration and removal, and updates posted to
 * the webhook URL.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TelegramEndToEndTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final FakeBotApi BOT_API = new FakeBotApi();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + pluginsWithTelegram(), "plugins.pollIntervalMillis=200",
            "queue.workers=2", "queue.maxAttempts=3", "queue.baseRetryDelayMillis=100", "queue.maxRetryDelaySeconds=1",
            "queue.sweepIntervalMillis=500", "queue.instanceSilenceSeconds=3", "queue.leaseSeconds=10");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Poll.until(DEADLINE, () -> api.get("/api/v1/platforms/supported", admin).text().contains("\"telegram\""));
    }

    @AfterAll
    static void tearDown() {
        BOT_API.close();
    }

    /** A temporary plugins directory holding the built telegram plugin jar. */
    static Path pluginsWithTelegram() {
        try {
            Path dir = Files.createTempDirectory("gatekit-telegram-");
            Files.copy(Path.of(System.getProperty("gatekit.test.telegramPluginJar")), dir.resolve("telegram-plugin.jar"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token of a bot of its own, so each test reads back only its own calls. */
    static String newBotToken() {
        return ThreadLocalRandom.current().nextLong(1_000_000L, 9_999_999_999L) + ":AA" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String platforms(String slug) {
        return "/api/v1/projects/" + slug + "/platforms";
    }

    private static Reply configure(String slug, String token) {
        return api.post(platforms(slug), admin, Map.of("platform", "telegram",
                "credentials", Map.of("botToken", token),
                "config", Map.of("apiBaseUrl", BOT_API.baseUrl())));
    }

    /** A new project with a telegram configuration for a new bot; returns the project's slug. */
    private static String projectWithBot(String token) {
        String slug = api.createProject(admin, "Telegram");
        Reply configured = configure(slug, token);
        assertThat(configured.status()).as(configured.toString()).isEqualTo(201);
        return slug;
    }

    private static String send(String slug, String chatId, String text) {
        Reply reply = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                Map.of("platform", "telegram", "target", Map.of("type", "user", "id", chatId), "text", text));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        return reply.json().get("jobId").asText();
    }

    @Test
    void aMessageGoesThroughTheQueueToSendMessageAndIsDeliveredWithTelegramsMessageId() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.sentMessage(9001, 5550001));

        String jobId = send(slug, "5550001", "Hello from GateKit");
        JsonNode status = Messaging.awaitFinal(api, admin, slug, jobId, DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("delivered");
        assertThat(status.at("/targets/0/platformMessageIds")).extracting(JsonNode::asText).containsExactly("9001");
        assertThat(status.at("/targets/0/attempts").asInt()).isEqualTo(1);
        assertThat(BOT_API.calls(token, "getMe")).as("the configuration was validated live").isNotEmpty();
        List<Call> sends = BOT_API.calls(token, "sendMessage");
        assertThat(sends).hasSize(1);
        assertThat(sends.get(0).field("chat_id")).isEqualTo("5550001");
        assertThat(sends.get(0).field("text")).isEqualTo("Hello from GateKit");
        assertThat(sends.get(0).field("parse_mode")).as("plain text goes without a parse mode").isNull();
    }

    @Test
    void theWebhookIsRegisteredWithTheConfigurationsUrlAndASecretToken() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        Reply webhook = api.get(platforms(slug) + "/telegram/webhook", admin);
        assertThat(webhook.status()).as(webhook.toString()).isEqualTo(200);
        String webhookUrl = webhook.json().get("webhookUrl").asText();

        Messaging.awaitFinal(api, admin, slug, send(slug, "5550002", "opens the client"), DEADLINE);

        List<Call> registrations = BOT_API.calls(token, "setWebhook");
        assertThat(registrations).isNotEmpty();
        Call registration = registrations.get(0);
        assertThat(registration.field("url")).isEqualTo(webhookUrl).contains("/webhooks/telegram/");
        assertThat(registration.field("secret_token")).matches("[A-Za-z0-9_-]{43}");
        assertThat(registration.field("allowed_updates")).contains("message", "callback_query");
        assertThat(BOT_API.calls(token)).extracting(Call::method).containsSubsequence("setwebhook", "sendmessage");
    }

    @Test
    void aConfigurationThatOnlyReceivesRegistersItsWebhookWhenCreatedAndAgainWhenItsTokenIsRolled() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        String webhookUrl = webhookUrl(slug);

        // Nothing is sent: creating the configuration is enough.
        Poll.until(DEADLINE, () -> registeredUrls(token).contains(webhookUrl));

        Reply rolled = api.patch(platforms(slug) + "/telegram", admin, Map.of("rollWebhookToken", true));
        assertThat(rolled.status()).as(rolled.toString()).isEqualTo(200);
        String rolledUrl = webhookUrl(slug);
        assertThat(rolledUrl).isNotEqualTo(webhookUrl);

        Poll.until(DEADLINE, () -> registeredUrls(token).contains(rolledUrl));
        assertThat(BOT_API.calls(token, "sendMessage")).isEmpty();
    }

    @Test
    void theWebhooksOfConfiguredBotsAreRegisteredAgainWhenThePluginLoads() {
        String token = newBotToken();
        String webhookUrl = webhookUrl(projectWithBot(token));
        Poll.until(DEADLINE, () -> registeredUrls(token).contains(webhookUrl));
        int before = registeredUrls(token).size();

        api.adminTask("reload-plugin", "id=telegram");

        Poll.until(DEADLINE, () -> registeredUrls(token).size() > before);
        assertThat(registeredUrls(token)).containsOnly(webhookUrl);
    }

    /** The configuration's webhook URL, as the API tells it. */
    private static String webhookUrl(String slug) {
        return api.get(platforms(slug) + "/telegram/webhook", admin).json().get("webhookUrl").asText();
    }

    private static List<String> registeredUrls(String token) {
        return BOT_API.calls(token, "setWebhook").stream().map(call -> call.field("url")).toList();
    }

    @Test
    void telegramsRetryAfterIsObeyedAndTheMessageEndsDelivered() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.tooManyRequests(1));
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.sentMessage(9002, 5550003));

        JsonNode status = Messaging.awaitFinal(api, admin, slug, send(slug, "5550003", "after a pause"), DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("delivered");
        assertThat(status.at("/targets/0/attempts").asInt()).as("the wait Telegram asked for uses up no attempt").isEqualTo(1);
        assertThat(status.at("/targets/0/deliveryAttempts")).hasSize(2);
        assertThat(status.at("/targets/0/deliveryAttempts/0/reasonCode").asText()).isEqualTo("rate_limited");
        assertThat(status.at("/targets/0/deliveryAttempts/0/platformStatus").asInt()).isEqualTo(429);
        assertThat(status.at("/targets/0/platformMessageIds")).extracting(JsonNode::asText).containsExactly("9002");
        List<Call> sends = BOT_API.calls(token, "sendMessage");
        assertThat(sends).hasSize(2);
        assertThat(Duration.between(sends.get(0).receivedAt(), sends.get(1).receivedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRetryOfASplitMessageDoesNotSendAgainThePartsAlreadyDelivered() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        String first = "A".repeat(3000);
        String second = "B".repeat(3000);
        String third = "C".repeat(3000);
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.sentMessage(9101, 5550005));
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.error(502, "Bad Gateway"));
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.sentMessage(9102, 5550005));
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.sentMessage(9103, 5550005));

        JsonNode status = Messaging.awaitFinal(api, admin, slug, send(slug, "5550005", first + "\n\n" + second + "\n\n" + third), DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("delivered");
        assertThat(status.at("/targets/0/attempts").asInt()).isEqualTo(2);
        assertThat(status.at("/targets/0/platformMessageIds")).extracting(JsonNode::asText).containsExactly("9101", "9102", "9103");
        assertThat(BOT_API.calls(token, "sendMessage")).extracting(call -> call.field("text").substring(0, 1))
                .containsExactly("A", "B", "B", "C");
    }

    @Test
    void theNewChatIdOfAGroupThatBecameASupergroupIsInTheStatus() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.migratedTo(-1001234567890L));
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.sentMessage(9201, -1001234567890L));

        JsonNode status = Messaging.awaitFinal(api, admin, slug, send(slug, "-4567", "to the group"), DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("delivered");
        assertThat(status.at("/targets/0/details/migratedFromChatId").asText()).as(status.toString()).isEqualTo("-4567");
        assertThat(status.at("/targets/0/details/migratedToChatId").asText()).isEqualTo("-1001234567890");
        assertThat(BOT_API.calls(token, "sendMessage")).extracting(call -> call.field("chat_id")).containsExactly("-4567", "-1001234567890");
    }

    @Test
    void chatNotFoundFailsAtOnceWithThePluginsReasonAndTelegramsStatus() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        BOT_API.enqueue(token, "sendMessage", FakeBotApi.error(400, "Bad Request: chat not found"));

        JsonNode status = Messaging.awaitFinal(api, admin, slug, send(slug, "404404", "to nobody"), DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("failed");
        assertThat(status.at("/targets/0/reasonCode").asText()).isEqualTo("invalid_target");
        assertThat(status.at("/targets/0/attempts").asInt()).isEqualTo(1);
        assertThat(status.get("failedReason").asText()).contains("chat not found");
        assertThat(status.at("/targets/0/deliveryAttempts")).hasSize(1);
        assertThat(status.at("/targets/0/deliveryAttempts/0/outcome").asText()).isEqualTo("failed");
        assertThat(status.at("/targets/0/deliveryAttempts/0/platformStatus").asInt()).as(status.toString()).isEqualTo(400);
        assertThat(BOT_API.calls(token, "sendMessage")).hasSize(1);
    }

    @Test
    void aTokenTelegramRefusesIsA422WithTelegramsDescription() {
        String token = newBotToken();
        String slug = api.createProject(admin, "Telegram");
        BOT_API.enqueue(token, "getMe", FakeBotApi.error(401, "Unauthorized"));

        Reply refused = configure(slug, token);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.text()).contains("credentials.botToken").contains("Unauthorized").doesNotContain(token);
        assertThat(api.get(platforms(slug), admin).text()).doesNotContain("telegram");
    }

    @Test
    void deletingTheConfigurationDeletesItsWebhookAtTelegram() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        String webhookUrl = webhookUrl(slug);
        Messaging.awaitFinal(api, admin, slug, send(slug, "5550004", "registers the webhook"), DEADLINE);
        BOT_API.enqueue(token, "getWebhookInfo", FakeBotApi.webhookInfo(webhookUrl));

        Reply deleted = api.delete(platforms(slug) + "/telegram", admin);

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(BOT_API.calls(token, "deleteWebhook")).hasSize(1);
        assertThat(BOT_API.calls(token)).extracting(Call::method).endsWith("getwebhookinfo", "deletewebhook");
        assertThat(api.get(platforms(slug) + "/telegram", admin).status()).isEqualTo(404);
    }

    @Test
    void aConfigurationIsDeletedEvenWhenTelegramCannotBeAsked() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        BOT_API.enqueue(token, "getWebhookInfo", FakeBotApi.error(502, "Bad Gateway"));

        Reply deleted = api.delete(platforms(slug) + "/telegram", admin);

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(BOT_API.calls(token, "getWebhookInfo")).hasSize(1);
        assertThat(BOT_API.calls(token, "deleteWebhook")).isEmpty();
        assertThat(api.get(platforms(slug) + "/telegram", admin).status()).isEqualTo(404);
    }

    @Test
    void anUpdatePostedToTheWebhookUrlIsStoredAndOneWithoutTheSecretIsRefused() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        String webhookPath = URI.create(webhookUrl(slug)).getPath();
        String forgedText = "forged " + UUID.randomUUID();
        String genuineText = "hello GateKit " + UUID.randomUUID();

        Reply forged = postUpdate(webhookPath, textUpdate(910001, forgedText), "not-the-secret");
        // Handling the first request opened the client, which registered the webhook and its secret with Telegram.
        String secret = BOT_API.calls(token, "setWebhook").get(0).field("secret_token");
        Reply unsigned = postUpdate(webhookPath, textUpdate(910002, forgedText), null);
        Reply genuine = postUpdate(webhookPath, textUpdate(910003, genuineText), secret);

        assertThat(forged.status()).as(forged.toString()).isEqualTo(401);
        assertThat(unsigned.status()).as(unsigned.toString()).isEqualTo(401);
        assertThat(genuine.status()).as(genuine.toString()).isEqualTo(200);
        List<JsonNode> history = inboundHistory(slug);
        assertThat(history).hasSize(1);
        JsonNode item = history.get(0);
        assertThat(item.get("direction").asText()).isEqualTo("inbound");
        assertThat(item.get("kind").asText()).isEqualTo("message");
        assertThat(item.get("platform").asText()).isEqualTo("telegram");
        assertThat(item.get("text").asText()).isEqualTo(genuineText);
        assertThat(item.get("chatId").asText()).isEqualTo("5550010");
        assertThat(item.at("/sender/name").asText()).isEqualTo("Ada Lovelace");
        assertThat(item.get("platformEventId").asText()).isEqualTo("910003");
        assertThat(item.get("platformMessageId").asText()).isEqualTo("321");
        assertThat(history.toString()).doesNotContain(forgedText);
    }

    @Test
    void anEditIsStoredAsAnEditOfTheEarlierMessage() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        String webhookPath = URI.create(webhookUrl(slug)).getPath();
        Poll.until(DEADLINE, () -> !BOT_API.calls(token, "setWebhook").isEmpty());
        String secret = BOT_API.calls(token, "setWebhook").get(0).field("secret_token");
        ObjectNode edit = textUpdateOf(930002, "fixed", "edited_message");
        ((ObjectNode) edit.get("edited_message")).put("edit_date", Instant.now().getEpochSecond());

        assertThat(postUpdate(webhookPath, textUpdate(930001, "teh"), secret).status()).isEqualTo(200);
        assertThat(postUpdate(webhookPath, edit.toString(), secret).status()).isEqualTo(200);

        List<JsonNode> history = inboundHistory(slug);
        assertThat(history).hasSize(2);
        JsonNode edited = history.stream().filter(item -> item.get("text").asText().equals("fixed")).findFirst().orElseThrow();
        JsonNode original = history.stream().filter(item -> item.get("text").asText().equals("teh")).findFirst().orElseThrow();
        assertThat(edited.get("editOf").asText()).isEqualTo(original.get("platformMessageId").asText()).isEqualTo("321");
        assertThat(original.get("editOf").isNull()).as(original.toString()).isTrue();
    }

    @Test
    void aButtonPressIsStoredAndAnsweredInTheWebhookReply() {
        String token = newBotToken();
        String slug = projectWithBot(token);
        String webhookPath = URI.create(webhookUrl(slug)).getPath();
        Messaging.awaitFinal(api, admin, slug, send(slug, "5550011", "opens the client"), DEADLINE);
        String secret = BOT_API.calls(token, "setWebhook").get(0).field("secret_token");
        String callback = """
                {"update_id": 920001,
                 "callback_query": {"id": "4382bfdwdsb323b2d9", "chat_instance": "-3718529212416113",
                   "from": {"id": 5550011, "is_bot": false, "first_name": "Ada"},
                   "message": {"message_id": 4711, "date": 1714557600, "chat": {"id": 5550011, "type": "private", "first_name": "Ada"},
                     "text": "Approve?"},
                   "data": "approve:42"}}""";

        Reply reply = postUpdate(webhookPath, callback, secret);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(reply.json().get("callback_query_id").asText()).isEqualTo("4382bfdwdsb323b2d9");
        JsonNode item = inboundHistory(slug).get(0);
        assertThat(item.get("kind").asText()).isEqualTo("interaction");
        assertThat(item.get("interaction").asText()).isEqualTo("button");
        assertThat(item.get("value").asText()).isEqualTo("approve:42");
    }

    /** A private-chat text message from Ada, as Telegram posts it. */
    private static String textUpdate(long updateId, String text) {
        return textUpdateOf(updateId, text, "message").toString();
    }

    /** The same message from Ada as an update of the given kind ({@code message}, {@code edited_message}). */
    private static ObjectNode textUpdateOf(long updateId, String text, String kind) {
        ObjectNode update = Api.JSON.createObjectNode().put("update_id", updateId);
        ObjectNode message = update.putObject(kind).put("message_id", 321).put("date", Instant.now().getEpochSecond());
        message.putObject("from").put("id", 5550010).put("is_bot", false).put("first_name", "Ada").put("last_name", "Lovelace")
                .put("username", "ada").put("language_code", "en");
        message.putObject("chat").put("id", 5550010).put("type", "private").put("first_name", "Ada").put("last_name", "Lovelace")
                .put("username", "ada");
        message.put("text", text);
        return update;
    }

    /** Posts to the webhook's path on this app (the configured public base URL is not the test server's address). */
    private static Reply postUpdate(String webhookPath, String json, String secretToken) {
        HttpRequest.Builder request = api.request(webhookPath, null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (secretToken != null) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secretToken);
        }
        return api.send(request);
    }

    private static List<JsonNode> inboundHistory(String slug) {
        Reply reply = api.get("/api/v1/projects/" + slug + "/messages?direction=inbound", admin);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("messages").forEach(items::add);
        return items;
    }
}
