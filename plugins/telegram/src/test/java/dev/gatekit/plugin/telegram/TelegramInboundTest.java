package dev.gatekit.plugin.telegram;

import static dev.gatekit.plugin.telegram.FakeBotApi.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.InboundAttachment;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.MessageReceived;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Webhook registration, authenticity, Update parsing, callback answers, removal and validation. */
@Timeout(60)
class TelegramInboundTest {

    static final String TOKEN = TelegramPlatformContractTest.TOKEN;
    static final Instant RECEIVED = Instant.parse("2024-05-01T10:00:00Z");

    private FakePlatformServer server;
    private TestPlatformContext context;
    private final List<PlatformClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakePlatformServer.start();
        context = TestPlatformContext.forServer(server);
    }

    @AfterEach
    void stop() {
        clients.forEach(PlatformClient::close);
        server.close();
    }

    private static PlatformConfiguration configuration(String id, Map<String, String> settings) {
        return new PlatformConfiguration(id, "proj-1", Map.of("botToken", TOKEN), settings, false);
    }

    private PlatformClient open() throws Exception {
        FakeBotApi.stubWebhook(server);
        PlatformClient client = new TelegramPlatformProvider().openClient(configuration("cfg-1", Map.of()), context);
        clients.add(client);
        return client;
    }

    private static WebhookRequest update(String json, String secret) {
        Map<String, List<String>> headers = secret == null ? Map.of("Content-Type", List.of("application/json"))
                : Map.of("Content-Type", List.of("application/json"), "X-Telegram-Bot-Api-Secret-Token", List.of(secret));
        return new WebhookRequest("POST", "/webhooks/telegram/x", headers, Map.of(),
                json.getBytes(StandardCharsets.UTF_8), "149.154.167.200", RECEIVED);
    }

    private static String secret() {
        return WebhookSecret.derive(TOKEN, "cfg-1");
    }

    @Test
    void openingRegistersTheWebhookWithADerivedSecret() throws Exception {
        PlatformClient client = open();

        BotApiCall call = FakeBotApi.take(server);
        assertThat(call.method()).isEqualTo("setwebhook");
        assertThat(call.token()).isEqualTo(TOKEN);
        assertThat(call.field("url")).isEqualTo(context.webhookUrl().toString());
        assertThat(call.field("secret_token")).isEqualTo(secret()).matches("[A-Za-z0-9_-]{1,256}");
        assertThat(call.json("allowed_updates")).extracting(JsonNode::asText)
                .containsExactly("message", "edited_message", "channel_post", "edited_channel_post", "callback_query");
        assertThat(client.health().state()).isEqualTo(HealthStatus.State.UP);
    }

    @Test
    void theSecretIsTheSameEverywhereAndDiffersPerConfigurationAndToken() {
        assertThat(WebhookSecret.derive(TOKEN, "cfg-1")).isEqualTo(WebhookSecret.derive(TOKEN, "cfg-1"))
                .hasSize(43)
                .isNotEqualTo(WebhookSecret.derive(TOKEN, "cfg-2"))
                .isNotEqualTo(WebhookSecret.derive("999:other", "cfg-1"))
                .doesNotContain(TOKEN.substring(TOKEN.indexOf(':') + 1));
    }

    @Test
    void aRefusedRegistrationLeavesTheClientUsableButDegraded() throws Exception {
        server.stub(path("setWebhook"), FakeBotApi.error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"));
        PlatformClient client = new TelegramPlatformProvider().openClient(configuration("cfg-1", Map.of()), context);
        clients.add(client);

        assertThat(client.health().state()).isEqualTo(HealthStatus.State.DEGRADED);
        assertThat(client.health().detail()).contains("HTTPS URL must be provided");
    }

    @Test
    void requestsWithoutTheSecretHeaderAreRefused() throws Exception {
        PlatformClient client = open();
        String json = "{\"update_id\":1,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"text\":\"hi\"}}";

        for (WebhookResult result : List.of(client.handleWebhook(update(json, null)),
                client.handleWebhook(update(json, "wrong")), client.handleWebhook(update(json, secret() + "x")))) {
            assertThat(result.authentic()).isFalse();
            assertThat(result.httpStatus()).isEqualTo(401);
            assertThat(result.events()).isEmpty();
        }
    }

    @Test
    void aMessageBecomesAMessageReceived() throws Exception {
        PlatformClient client = open();
        String json = """
                {"update_id": 900001,
                 "message": {"message_id": 55, "date": 1714557600, "message_thread_id": 7, "is_topic_message": true,
                   "from": {"id": 111, "is_bot": false, "first_name": "Ada", "last_name": "Lovelace", "username": "ada"},
                   "chat": {"id": -100999, "type": "supergroup", "title": "Team", "is_forum": true},
                   "caption": "see attached",
                   "photo": [{"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 1000},
                             {"file_id": "large", "file_unique_id": "l", "width": 1280, "height": 1280, "file_size": 90000}],
                   "reply_to_message": {"message_id": 54, "date": 1714557500, "chat": {"id": -100999, "type": "supergroup"}},
                   "new_field_from_a_future_bot_api": {"x": 1}}}""";

        WebhookResult result = client.handleWebhook(update(json, secret()));

        assertThat(result.authentic()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.events()).singleElement().isInstanceOfSatisfying(MessageReceived.class, event -> {
            assertThat(event.eventId()).isEqualTo("900001");
            assertThat(event.chatId()).isEqualTo("-100999");
            assertThat(event.senderId()).isEqualTo("111");
            assertThat(event.senderName()).isEqualTo("Ada Lovelace");
            assertThat(event.text()).isEqualTo("see attached");
            assertThat(event.threadId()).isEqualTo("7");
            assertThat(event.replyToId()).isEqualTo("54");
            assertThat(event.platformMessageId()).isEqualTo("55");
            assertThat(event.receivedAt()).isEqualTo(Instant.ofEpochSecond(1714557600));
            assertThat(event.attachments()).containsExactly(new InboundAttachment("large", null, null, "image/jpeg", 90000L));
            assertThat(event.rawPayload()).contains("new_field_from_a_future_bot_api");
        });
    }

    @Test
    void anEditedMessageAndAChannelPostAreMessagesToo() throws Exception {
        PlatformClient client = open();
        String edited = """
                {"update_id": 2, "edited_message": {"message_id": 9, "date": 1714557000, "edit_date": 1714557700,
                  "from": {"id": 5, "is_bot": false, "first_name": "Bo"}, "chat": {"id": 5, "type": "private"},
                  "text": "fixed typo",
                  "document": {"file_id": "doc-1", "file_unique_id": "d", "file_name": "a.pdf", "mime_type": "application/pdf", "file_size": 42}}}""";
        String post = """
                {"update_id": 3, "channel_post": {"message_id": 10, "date": 1714557800,
                  "sender_chat": {"id": -100777, "type": "channel", "title": "News"},
                  "chat": {"id": -100777, "type": "channel", "title": "News"}, "text": "Breaking"}}""";

        MessageReceived editedEvent = (MessageReceived) client.handleWebhook(update(edited, secret())).events().get(0);
        assertThat(editedEvent.eventId()).isEqualTo("2");
        assertThat(editedEvent.text()).isEqualTo("fixed typo");
        assertThat(editedEvent.receivedAt()).isEqualTo(Instant.ofEpochSecond(1714557700));
        assertThat(editedEvent.attachments()).containsExactly(new InboundAttachment("doc-1", null, "a.pdf", "application/pdf", 42L));

        MessageReceived postEvent = (MessageReceived) client.handleWebhook(update(post, secret())).events().get(0);
        assertThat(postEvent.chatId()).isEqualTo("-100777");
        assertThat(postEvent.senderId()).isEqualTo("-100777");
        assertThat(postEvent.senderName()).isEqualTo("News");
        assertThat(postEvent.text()).isEqualTo("Breaking");
    }

    @Test
    void anEditNamesTheMessageItEditsAndANewMessageNamesNone() throws Exception {
        PlatformClient client = open();
        String original = """
                {"update_id": 20, "message": {"message_id": 9, "date": 1714557000,
                  "from": {"id": 5, "is_bot": false, "first_name": "Bo"}, "chat": {"id": 5, "type": "private"}, "text": "teh"}}""";
        String edited = """
                {"update_id": 21, "edited_message": {"message_id": 9, "date": 1714557000, "edit_date": 1714557700,
                  "from": {"id": 5, "is_bot": false, "first_name": "Bo"}, "chat": {"id": 5, "type": "private"}, "text": "the"}}""";

        MessageReceived first = parsed(client, original);
        MessageReceived edit = parsed(client, edited);

        assertThat(first.editOf()).isNull();
        assertThat(edit.editOf()).isEqualTo("9").isEqualTo(first.platformMessageId());
        assertThat(edit.eventId()).isEqualTo("21");
    }

    @Test
    void anAnonymousGroupAdminIsAttributedToTheGroupNotToTelegramsPlaceholderBot() throws Exception {
        PlatformClient client = open();
        String json = """
                {"update_id": 22, "message": {"message_id": 12, "date": 1714557000,
                  "from": {"id": 1087968824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"},
                  "sender_chat": {"id": -100555, "type": "supergroup", "title": "Ops"},
                  "chat": {"id": -100555, "type": "supergroup", "title": "Ops"}, "text": "maintenance at noon"}}""";

        MessageReceived event = parsed(client, json);

        assertThat(event.senderId()).isEqualTo("-100555");
        assertThat(event.senderName()).isEqualTo("Ops");
    }

    @Test
    void messagesWithoutTextKeepAUsefulTextOrAttachment() throws Exception {
        PlatformClient client = open();
        String location = """
                {"update_id": 30, "message": {"message_id": 1, "date": 1714557000, "chat": {"id": 5, "type": "private"},
                  "from": {"id": 5, "is_bot": false, "first_name": "Bo"}, "location": {"latitude": 48.8584, "longitude": 2.2945}}}""";
        String venue = """
                {"update_id": 31, "message": {"message_id": 2, "date": 1714557000, "chat": {"id": 5, "type": "private"},
                  "from": {"id": 5, "is_bot": false, "first_name": "Bo"},
                  "location": {"latitude": 48.8584, "longitude": 2.2945},
                  "venue": {"location": {"latitude": 48.8584, "longitude": 2.2945}, "title": "Eiffel Tower",
                            "address": "Champ de Mars, Paris"}}}""";
        String contact = """
                {"update_id": 32, "message": {"message_id": 3, "date": 1714557000, "chat": {"id": 5, "type": "private"},
                  "from": {"id": 5, "is_bot": false, "first_name": "Bo"},
                  "contact": {"phone_number": "+441234567890", "first_name": "Ada", "last_name": "Lovelace", "user_id": 77}}}""";
        String videoSticker = """
                {"update_id": 33, "message": {"message_id": 4, "date": 1714557000, "chat": {"id": 5, "type": "private"},
                  "from": {"id": 5, "is_bot": false, "first_name": "Bo"},
                  "sticker": {"file_id": "stk-1", "file_unique_id": "u", "type": "regular", "width": 512, "height": 512,
                              "is_animated": false, "is_video": true, "emoji": "🎉", "file_size": 2048}}}""";

        assertThat(parsed(client, location).text()).isEqualTo("Location: 48.8584,2.2945");
        assertThat(parsed(client, venue).text()).isEqualTo("Venue: Eiffel Tower, Champ de Mars, Paris (48.8584,2.2945)");
        assertThat(parsed(client, contact).text()).isEqualTo("Contact: Ada Lovelace, +441234567890");
        MessageReceived sticker = parsed(client, videoSticker);
        assertThat(sticker.text()).isEqualTo("🎉");
        assertThat(sticker.attachments()).containsExactly(new InboundAttachment("stk-1", null, null, "video/webm", 2048L));
    }

    private static MessageReceived parsed(PlatformClient client, String json) {
        return (MessageReceived) client.handleWebhook(update(json, secret())).events().get(0);
    }

    @Test
    void aButtonPressBecomesAnInteractionAndIsAnsweredInTheReply() throws Exception {
        PlatformClient client = open();
        String json = """
                {"update_id": 4, "callback_query": {"id": "4382bfdwdsb323b2d9", "chat_instance": "-123",
                  "from": {"id": 222, "is_bot": false, "first_name": "Cy"},
                  "message": {"message_id": 77, "date": 1714557600, "chat": {"id": 222, "type": "private"}, "text": "Pick"},
                  "data": "answer:yes"}}""";

        WebhookResult result = client.handleWebhook(update(json, secret()));

        assertThat(result.authentic()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.contentType()).isEqualTo("application/json");
        JsonNode answer = BotApiCall.JSON.readTree(result.responseBody());
        assertThat(answer.get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(answer.get("callback_query_id").asText()).isEqualTo("4382bfdwdsb323b2d9");
        assertThat(result.events()).singleElement().isInstanceOfSatisfying(InteractionReceived.class, event -> {
            assertThat(event.eventId()).isEqualTo("4");
            assertThat(event.kind()).isEqualTo(InteractionReceived.Kind.BUTTON);
            assertThat(event.value()).isEqualTo("answer:yes");
            assertThat(event.userId()).isEqualTo("222");
            assertThat(event.userName()).isEqualTo("Cy");
            assertThat(event.chatId()).isEqualTo("222");
            assertThat(event.platformMessageId()).isEqualTo("77");
            assertThat(event.receivedAt()).isEqualTo(RECEIVED);
        });
    }

    @Test
    void otherUpdatesAndUnreadableBodiesAreAcknowledgedWithoutEvents() throws Exception {
        PlatformClient client = open();
        for (String body : List.of("{\"update_id\":5,\"my_chat_member\":{}}", "not json", "{\"no_update_id\":true}")) {
            WebhookResult result = client.handleWebhook(update(body, secret()));
            assertThat(result.authentic()).isTrue();
            assertThat(result.httpStatus()).isEqualTo(200);
            assertThat(result.events()).isEmpty();
        }
    }

    @Test
    void removingTheWebhookDeletesItOnlyWhenItIsStillOurs() throws Exception {
        TelegramPlatformProvider provider = new TelegramPlatformProvider();
        server.enqueue(path("getWebhookInfo"), FakeBotApi.ok("{\"url\":\"" + context.webhookUrl() + "\",\"has_custom_certificate\":false,\"pending_update_count\":0}"));
        server.enqueue(path("deleteWebhook"), FakeBotApi.okTrue());
        assertThat(provider.removeWebhook(configuration("cfg-1", Map.of()), context)).isTrue();
        assertThat(server.requests()).extracting(request -> BotApiCall.of(request).method())
                .containsExactly("getwebhookinfo", "deletewebhook");

        server.reset();
        server.enqueue(path("getWebhookInfo"), FakeBotApi.ok("{\"url\":\"https://elsewhere.example/hook\",\"has_custom_certificate\":false,\"pending_update_count\":0}"));
        assertThat(provider.removeWebhook(configuration("cfg-1", Map.of()), context)).isFalse();
        assertThat(server.requests()).extracting(request -> BotApiCall.of(request).method()).containsExactly("getwebhookinfo");
    }

    @Test
    void theRemovedConfigurationHookDeletesOurWebhookThroughThePluginApi() {
        PlatformProvider provider = new TelegramPlatformProvider();
        server.enqueue(path("getWebhookInfo"), FakeBotApi.ok("{\"url\":\"" + context.webhookUrl()
                + "\",\"has_custom_certificate\":false,\"pending_update_count\":3}"));
        server.enqueue(path("deleteWebhook"), FakeBotApi.okTrue());

        provider.configurationRemoved(configuration("cfg-1", Map.of()), context);

        List<BotApiCall> calls = server.requests().stream().map(BotApiCall::of).toList();
        assertThat(calls).extracting(BotApiCall::method).containsExactly("getwebhookinfo", "deletewebhook");
        assertThat(calls).extracting(BotApiCall::token).containsOnly(TOKEN);
    }

    @Test
    void theRemovedConfigurationHookLeavesAnotherConfigurationsWebhookAlone() {
        server.enqueue(path("getWebhookInfo"), FakeBotApi.ok("{\"url\":\"https://gatekit.example/webhooks/telegram/another\","
                + "\"has_custom_certificate\":false,\"pending_update_count\":0}"));

        new TelegramPlatformProvider().configurationRemoved(configuration("cfg-1", Map.of()), context);

        assertThat(server.requests()).extracting(request -> BotApiCall.of(request).method()).containsExactly("getwebhookinfo");
    }

    @Test
    void theRemovedConfigurationHookNeverThrowsWhenTelegramFails() {
        server.stub(path("getWebhookInfo"), FakeBotApi.error(401, "Unauthorized"));
        new TelegramPlatformProvider().configurationRemoved(configuration("cfg-1", Map.of()), context);

        server.reset();
        server.stub(path("getWebhookInfo"), FakeBotApi.error(502, "Bad Gateway"));
        new TelegramPlatformProvider().configurationRemoved(configuration("cfg-1", Map.of()), context);

        server.reset();
        new TelegramPlatformProvider().configurationRemoved(
                new PlatformConfiguration("cfg-1", "p", Map.of("botToken", "no colon"), Map.of(), false), context);
        assertThat(server.requests()).as("a malformed token never reaches Telegram").isEmpty();
    }

    @Test
    void closingDoesNotTouchTheWebhook() throws Exception {
        PlatformClient client = open();
        server.takeRequest(FakeBotApi.WAIT);
        client.close();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void validationCallsGetMe() throws Exception {
        server.enqueue(path("getMe"), FakeBotApi.ok("{\"id\":123456,\"is_bot\":true,\"first_name\":\"GateKit\",\"username\":\"gatekit_bot\"}"));
        new TelegramPlatformProvider().validateCredentials(configuration("cfg-1", Map.of()), context);
        assertThat(BotApiCall.of(server.takeRequest(FakeBotApi.WAIT)).method()).isEqualTo("getme");
    }

    @Test
    void aTokenTelegramRefusesIsAnInvalidBotTokenWithTelegramsDescription() {
        server.enqueue(path("getMe"), FakeBotApi.error(401, "Unauthorized"));
        Throwable thrown = catchThrowable(() -> new TelegramPlatformProvider().validateCredentials(configuration("cfg-1", Map.of()), context));

        assertThat(thrown).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("Unauthorized")
                .hasMessageNotContaining(TOKEN);
        assertThat(((InvalidConfigurationException) thrown).field()).isEqualTo("botToken");
    }

    @Test
    void malformedSettingsAreRefusedByName() {
        TelegramPlatformProvider provider = new TelegramPlatformProvider();
        TestPlatformContext noOverride = TestPlatformContext.withoutServer();
        assertThat(((InvalidConfigurationException) catchThrowable(() -> provider.openClient(
                configuration("cfg-1", Map.of("parseMode", "Markdown")), noOverride))).field()).isEqualTo("parseMode");
        assertThat(((InvalidConfigurationException) catchThrowable(() -> provider.openClient(
                configuration("cfg-1", Map.of("apiBaseUrl", "http://bot-api.local/prefix")), noOverride))).field())
                .isEqualTo("apiBaseUrl");
        assertThat(((InvalidConfigurationException) catchThrowable(() -> provider.openClient(
                new PlatformConfiguration("cfg-1", "p", Map.of("botToken", "no colon"), Map.of(), false), noOverride))).field())
                .isEqualTo("botToken");
        assertThat(((InvalidConfigurationException) catchThrowable(() -> provider.openClient(
                configuration("cfg-1", Map.of("maxConcurrentRequests", "0")), noOverride))).field())
                .isEqualTo("maxConcurrentRequests");
        assertThat(((InvalidConfigurationException) catchThrowable(() -> provider.openClient(
                configuration("cfg-1", Map.of("maxConcurrentRequests", "lots")), noOverride))).field())
                .isEqualTo("maxConcurrentRequests");
    }

    @Test
    void theApiBaseUrlSettingPointsTheClientAtASelfHostedServer() throws Exception {
        FakeBotApi.stubWebhook(server);
        PlatformClient client = new TelegramPlatformProvider().openClient(
                configuration("cfg-1", Map.of("apiBaseUrl", "http://127.0.0.1:" + server.port())), TestPlatformContext.withoutServer());
        clients.add(client);
        assertThat(BotApiCall.of(server.takeRequest(FakeBotApi.WAIT)).method()).isEqualTo("setwebhook");
    }
}
