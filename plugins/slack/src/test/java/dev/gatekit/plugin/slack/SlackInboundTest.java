package dev.gatekit.plugin.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.plugin.api.InboundAttachment;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.MessageReceived;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request signing, url_verification, Events API messages and block_actions interactions. */
class SlackInboundTest {

    static final String SECRET = SlackPlatformContractTest.SIGNING_SECRET;
    static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    static final String TIMESTAMP = Long.toString(NOW.getEpochSecond());

    private TestPlatformContext context;
    private PlatformClient client;

    @BeforeEach
    void open() throws Exception {
        context = TestPlatformContext.withoutServer().withClock(Clock.fixed(NOW, ZoneOffset.UTC));
        client = new SlackPlatformProvider().openClient(new PlatformConfiguration("cfg-1", "proj-1",
                Map.of("botToken", FakeSlackApi.TOKEN, "signingSecret", SECRET), Map.of(), false), context);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static WebhookRequest request(String contentType, String body, String timestamp, String signature) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(contentType));
        if (timestamp != null) {
            headers.put("X-Slack-Request-Timestamp", List.of(timestamp));
        }
        if (signature != null) {
            headers.put("X-Slack-Signature", List.of(signature));
        }
        return new WebhookRequest("POST", "/webhooks/slack/x", headers, Map.of(), body.getBytes(StandardCharsets.UTF_8),
                "54.1.2.3", NOW);
    }

    private static WebhookRequest signedJson(String body) {
        return request("application/json", body, TIMESTAMP, SlackSignature.sign(SECRET, TIMESTAMP, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static WebhookRequest signedInteraction(String payloadJson) {
        String body = "payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8);
        return request("application/x-www-form-urlencoded", body, TIMESTAMP,
                SlackSignature.sign(SECRET, TIMESTAMP, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String eventCallback(String eventId, String eventJson) {
        return "{\"token\":\"legacy\",\"team_id\":\"T0001\",\"api_app_id\":\"A0001\",\"event\":" + eventJson
                + ",\"type\":\"event_callback\",\"event_id\":\"" + eventId + "\",\"event_time\":1714557600}";
    }

    @Test
    void signatureMatchesSlacksDocumentedExample() {
        // The worked example of Slack's "Verifying requests from Slack" page.
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&"
                + "channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&"
                + "response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
                + "trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        assertThat(SlackSignature.sign("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    @Test
    void aSignedMessageEventBecomesMessageReceived() {
        String body = eventCallback("Ev0PV52K21", "{\"type\":\"message\",\"channel\":\"C0123\",\"user\":\"U0456\","
                + "\"text\":\"hello <@U0BOT>\",\"ts\":\"1714557600.000200\",\"thread_ts\":\"1714557000.000100\","
                + "\"event_ts\":\"1714557600.000200\",\"channel_type\":\"channel\",\"subtype\":\"file_share\",\"files\":[{\"id\":\"F0789\","
                + "\"name\":\"cat.png\",\"mimetype\":\"image/png\",\"size\":1234,\"url_private\":\"https://files.slack.com/files-pri/T0001-F0789/cat.png\"}]}");

        WebhookResult result = client.handleWebhook(signedJson(body));

        assertThat(result.authentic()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.events()).singleElement().isInstanceOfSatisfying(MessageReceived.class, message -> {
            assertThat(message.eventId()).isEqualTo("Ev0PV52K21");
            assertThat(message.chatId()).isEqualTo("C0123");
            assertThat(message.senderId()).isEqualTo("U0456");
            assertThat(message.text()).isEqualTo("hello <@U0BOT>");
            assertThat(message.platformMessageId()).isEqualTo("1714557600.000200");
            assertThat(message.threadId()).isEqualTo("1714557000.000100");
            assertThat(message.replyToId()).isEqualTo("1714557000.000100");
            assertThat(message.receivedAt()).isEqualTo(NOW);
            assertThat(message.rawPayload()).isEqualTo(body);
            assertThat(message.attachments()).containsExactly(new InboundAttachment("F0789",
                    URI.create("https://files.slack.com/files-pri/T0001-F0789/cat.png"), "cat.png", "image/png", 1234L));
        });
    }

    @Test
    void anAppMentionBecomesMessageReceived() {
        String body = eventCallback("Ev0MENTION", "{\"type\":\"app_mention\",\"user\":\"U0456\",\"text\":\"<@U0BOT> status?\","
                + "\"ts\":\"1714557600.000300\",\"channel\":\"C0123\",\"event_ts\":\"1714557600.000300\"}");

        WebhookResult result = client.handleWebhook(signedJson(body));

        assertThat(result.events()).singleElement().isInstanceOfSatisfying(MessageReceived.class, message -> {
            assertThat(message.eventId()).isEqualTo("Ev0MENTION");
            assertThat(message.text()).isEqualTo("<@U0BOT> status?");
            assertThat(message.threadId()).isNull();
            assertThat(message.replyToId()).isNull();
        });
    }

    @Test
    void anEditBecomesMessageReceivedNamingTheEditedMessage() {
        String body = eventCallback("Ev0EDIT", "{\"type\":\"message\",\"subtype\":\"message_changed\",\"hidden\":true,"
                + "\"channel\":\"C0123\",\"ts\":\"1714557900.000400\",\"event_ts\":\"1714557900.000400\","
                + "\"message\":{\"type\":\"message\",\"user\":\"U0456\",\"text\":\"hello, corrected\","
                + "\"ts\":\"1714557600.000200\",\"thread_ts\":\"1714557000.000100\","
                + "\"edited\":{\"user\":\"U0456\",\"ts\":\"1714557900.000000\"}},"
                + "\"previous_message\":{\"type\":\"message\",\"user\":\"U0456\",\"text\":\"hello, corected\","
                + "\"ts\":\"1714557600.000200\",\"thread_ts\":\"1714557000.000100\"}}");

        WebhookResult result = client.handleWebhook(signedJson(body));

        assertThat(result.events()).singleElement().isInstanceOfSatisfying(MessageReceived.class, message -> {
            assertThat(message.eventId()).isEqualTo("Ev0EDIT");
            assertThat(message.chatId()).isEqualTo("C0123");
            assertThat(message.senderId()).isEqualTo("U0456");
            assertThat(message.text()).isEqualTo("hello, corrected");
            assertThat(message.editOf()).isEqualTo("1714557600.000200");
            assertThat(message.platformMessageId()).as("Slack keeps the ts across edits").isEqualTo("1714557600.000200");
            assertThat(message.threadId()).isEqualTo("1714557000.000100");
            assertThat(message.replyToId()).isEqualTo("1714557000.000100");
            assertThat(message.rawPayload()).isEqualTo(body);
        });
    }

    @Test
    void aNewMessageIsNotAnEdit() {
        String body = eventCallback("Ev0NEW", "{\"type\":\"message\",\"channel\":\"C0123\",\"user\":\"U0456\","
                + "\"text\":\"hello\",\"ts\":\"1714557600.000200\"}");

        assertThat(client.handleWebhook(signedJson(body)).events()).singleElement()
                .isInstanceOfSatisfying(MessageReceived.class, message -> assertThat(message.editOf()).isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // Slack adding a link preview: no "edited".
            "{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C0123\",\"ts\":\"2.2\",\"message\":"
                    + "{\"type\":\"message\",\"user\":\"U0456\",\"text\":\"see https://example.com\",\"ts\":\"1.1\","
                    + "\"attachments\":[{\"title\":\"Example\"}]}}",
            // A bot (this one, through chat.update) editing its own message.
            "{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C0123\",\"ts\":\"2.2\",\"message\":"
                    + "{\"type\":\"message\",\"bot_id\":\"B0001\",\"user\":\"U0BOT\",\"text\":\"ours\",\"ts\":\"1.1\","
                    + "\"edited\":{\"user\":\"U0BOT\",\"ts\":\"2.2\"}}}",
            // A deleted thread parent left as a tombstone.
            "{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C0123\",\"ts\":\"2.2\",\"message\":"
                    + "{\"type\":\"message\",\"subtype\":\"tombstone\",\"user\":\"USLACKBOT\",\"text\":\"This message was deleted.\","
                    + "\"ts\":\"1.1\",\"edited\":{\"user\":\"USLACKBOT\",\"ts\":\"2.2\"}}}"})
    void changesThatAreNotAPersonsEditAreAcknowledgedWithoutEvents(String event) {
        WebhookResult result = client.handleWebhook(signedJson(eventCallback("Ev0CHANGE", event)));

        assertThat(result.authentic()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.events()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"message\",\"subtype\":\"bot_message\",\"bot_id\":\"B0001\",\"channel\":\"C0123\",\"text\":\"ours\",\"ts\":\"1.1\"}",
            "{\"type\":\"message\",\"bot_id\":\"B0001\",\"user\":\"U0BOT\",\"channel\":\"C0123\",\"text\":\"ours\",\"ts\":\"1.1\"}",
            "{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C0123\",\"ts\":\"1.1\",\"message\":{}}",
            "{\"type\":\"message\",\"subtype\":\"channel_join\",\"user\":\"U0456\",\"channel\":\"C0123\",\"ts\":\"1.1\"}",
            "{\"type\":\"reaction_added\",\"user\":\"U0456\",\"reaction\":\"+1\",\"item\":{}}"})
    void botMessagesAndUnmappedEventsAreAcknowledgedWithoutEvents(String event) {
        WebhookResult result = client.handleWebhook(signedJson(eventCallback("Ev0SKIP", event)));

        assertThat(result.authentic()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.events()).isEmpty();
    }

    @Test
    void urlVerificationEchoesTheChallenge() {
        WebhookResult result = client.handleWebhook(signedJson(
                "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}"));

        assertThat(result.authentic()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.contentType()).isEqualTo("application/json");
        assertThat(new String(result.responseBody(), StandardCharsets.UTF_8))
                .isEqualTo("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}");
        assertThat(result.events()).isEmpty();
    }

    @Test
    void aButtonPressBecomesInteractionReceived() {
        String payload = "{\"type\":\"block_actions\",\"user\":{\"id\":\"U0456\",\"username\":\"ada\",\"name\":\"ada\",\"team_id\":\"T0001\"},"
                + "\"api_app_id\":\"A0001\",\"token\":\"legacy\",\"container\":{\"type\":\"message\",\"message_ts\":\"1714557600.000200\","
                + "\"channel_id\":\"C0123\",\"is_ephemeral\":false},\"trigger_id\":\"12466734323.1395872398.abc\",\"team\":{\"id\":\"T0001\"},"
                + "\"channel\":{\"id\":\"C0123\",\"name\":\"deploys\"},\"message\":{\"type\":\"message\",\"ts\":\"1714557600.000200\"},"
                + "\"response_url\":\"https://hooks.slack.com/actions/T0001/1/x\",\"actions\":[{\"action_id\":\"gatekit_button_0\","
                + "\"block_id\":\"gatekit_actions_0\",\"text\":{\"type\":\"plain_text\",\"text\":\"Approve\"},\"value\":\"approve:42\","
                + "\"type\":\"button\",\"action_ts\":\"1714557610.123\"}]}";

        WebhookResult result = client.handleWebhook(signedInteraction(payload));

        assertThat(result.authentic()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.events()).singleElement().isInstanceOfSatisfying(InteractionReceived.class, interaction -> {
            assertThat(interaction.eventId()).isEqualTo("block_actions:12466734323.1395872398.abc");
            assertThat(interaction.kind()).isEqualTo(InteractionReceived.Kind.BUTTON);
            assertThat(interaction.value()).isEqualTo("approve:42");
            assertThat(interaction.userId()).isEqualTo("U0456");
            assertThat(interaction.userName()).isEqualTo("ada");
            assertThat(interaction.chatId()).isEqualTo("C0123");
            assertThat(interaction.platformMessageId()).isEqualTo("1714557600.000200");
            assertThat(interaction.rawPayload()).isEqualTo(payload);
        });
    }

    @Test
    void aLinkButtonClickCarriesNoValueAndNoEvent() {
        String payload = "{\"type\":\"block_actions\",\"user\":{\"id\":\"U0456\"},\"trigger_id\":\"1.2.3\",\"container\":{\"channel_id\":\"C0123\","
                + "\"message_ts\":\"1.1\"},\"actions\":[{\"action_id\":\"gatekit_button_2\",\"type\":\"button\",\"action_ts\":\"2.2\"}]}";

        WebhookResult result = client.handleWebhook(signedInteraction(payload));

        assertThat(result.authentic()).isTrue();
        assertThat(result.events()).isEmpty();
    }

    @Test
    void aForgedSignatureIsRejected() {
        String body = eventCallback("Ev1", "{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"x\",\"ts\":\"1.1\"}");
        WebhookResult result = client.handleWebhook(request("application/json", body, TIMESTAMP,
                SlackSignature.sign("another-apps-secret", TIMESTAMP, body.getBytes(StandardCharsets.UTF_8))));

        assertNotAuthentic(result);
    }

    @Test
    void aBodyChangedAfterSigningIsRejected() {
        String body = eventCallback("Ev1", "{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"x\",\"ts\":\"1.1\"}");
        String signature = SlackSignature.sign(SECRET, TIMESTAMP, body.getBytes(StandardCharsets.UTF_8));

        assertNotAuthentic(client.handleWebhook(request("application/json", body.replace("\"x\"", "\"y\""), TIMESTAMP, signature)));
    }

    @Test
    void missingHeadersAreRejected() {
        String body = eventCallback("Ev1", "{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"x\",\"ts\":\"1.1\"}");
        String signature = SlackSignature.sign(SECRET, TIMESTAMP, body.getBytes(StandardCharsets.UTF_8));

        assertNotAuthentic(client.handleWebhook(request("application/json", body, null, null)));
        assertNotAuthentic(client.handleWebhook(request("application/json", body, TIMESTAMP, null)));
        assertNotAuthentic(client.handleWebhook(request("application/json", body, null, signature)));
        assertNotAuthentic(client.handleWebhook(request("application/json", body, "yesterday", signature)));
    }

    @Test
    void timestampsOutsideFiveMinutesAreRejectedEitherWay() {
        String body = "{\"type\":\"url_verification\",\"challenge\":\"c\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (long offset : new long[] {-301, 301, -3600}) {
            String stale = Long.toString(NOW.getEpochSecond() + offset);
            assertNotAuthentic(client.handleWebhook(request("application/json", body, stale, SlackSignature.sign(SECRET, stale, bytes))));
        }
        for (long offset : new long[] {-300, 300}) {
            String edge = Long.toString(NOW.getEpochSecond() + offset);
            assertThat(client.handleWebhook(request("application/json", body, edge, SlackSignature.sign(SECRET, edge, bytes))).authentic())
                    .as("offset %d s", offset).isTrue();
        }
    }

    @Test
    void withoutASigningSecretNothingIsAuthentic() throws Exception {
        PlatformClient sendOnly = new SlackPlatformProvider().openClient(new PlatformConfiguration("cfg-2", "proj-1",
                Map.of("botToken", FakeSlackApi.TOKEN), Map.of(), false), context);
        try {
            String body = "{\"type\":\"url_verification\",\"challenge\":\"c\"}";
            assertNotAuthentic(sendOnly.handleWebhook(request("application/json", body, TIMESTAMP,
                    SlackSignature.sign("any-secret", TIMESTAMP, body.getBytes(StandardCharsets.UTF_8)))));
        } finally {
            sendOnly.close();
        }
    }

    @Test
    void aSignedButUnreadableBodyIsABadRequest() {
        WebhookResult result = client.handleWebhook(signedJson("not json"));

        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.events()).isEmpty();
    }

    private void assertNotAuthentic(WebhookResult result) {
        assertThat(result.authentic()).isFalse();
        assertThat(result.httpStatus()).isEqualTo(401);
        assertThat(result.events()).isEmpty();
        assertThat(context.publishedEvents()).isEmpty();
    }
}
