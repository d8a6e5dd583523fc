package dev.gatekit.plugin.slack;

import static dev.gatekit.plugin.slack.FakeSlackApi.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.ButtonStyle;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.Embed;
import dev.gatekit.plugin.api.EmbedField;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.SendOptions;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.TargetType;
import dev.gatekit.plugin.api.TextFormat;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the real slack-api-client sends to a fake Web API, and how Slack's answers are mapped. */
@Timeout(60)
class SlackSendTest {

    private FakePlatformServer server;
    private TestPlatformContext context;
    private final List<PlatformClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakePlatformServer.start();
        context = TestPlatformContext.forServer(server);
        server.stub(path("auth.test"), FakeSlackApi.authTest());
    }

    @AfterEach
    void stop() {
        clients.forEach(PlatformClient::close);
        server.close();
    }

    private static PlatformConfiguration configuration(Map<String, String> settings) {
        return new PlatformConfiguration("cfg-1", "proj-1", Map.of("botToken", FakeSlackApi.TOKEN), settings, false);
    }

    private PlatformClient open() throws InvalidConfigurationException {
        return open(context);
    }

    private PlatformClient open(TestPlatformContext given) throws InvalidConfigurationException {
        PlatformClient client = new SlackPlatformProvider().openClient(configuration(Map.of()), given);
        clients.add(client);
        return client;
    }

    private static OutboundMessage message(TargetType type, String id, MessageContent content, SendOptions options) {
        return new OutboundMessage("msg-1", new Target(type, id), content, options, Map.of());
    }

    private static OutboundMessage toChannel(MessageContent content) {
        return message(TargetType.CHANNEL, "C0123", content, null);
    }

    private static JsonArray blocks(RecordedRequest request) {
        return JsonParser.parseString(FakeSlackApi.form(request).get("blocks")).getAsJsonArray();
    }

    @Test
    void plainTextIsPostedEscapedWithTheBotTokenAsBearer() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1700000000.000100"));

        DeliveryReceipt receipt = open().send(toChannel(MessageContent.text("Tom & Jerry <!channel> *not bold*")));

        assertThat(receipt.platformMessageIds()).containsExactly("1700000000.000100");
        assertThat(receipt.details()).containsEntry("channel", "C0123");
        assertThat(server.requests()).as("no auth.test or other call before the post").hasSize(1);
        RecordedRequest request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/chat.postMessage");
        assertThat(request.header("Authorization")).contains("Bearer " + FakeSlackApi.TOKEN);
        assertThat(request.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/x-www-form-urlencoded"));
        Map<String, String> form = FakeSlackApi.form(request);
        assertThat(form).containsEntry("channel", "C0123")
                .containsEntry("text", "Tom &amp; Jerry &lt;!channel&gt; *not bold*")
                .containsEntry("mrkdwn", "0") // slack-api-client writes booleans as 0 and 1, which Slack accepts
                .doesNotContainKeys("blocks", "thread_ts", "token");
    }

    @Test
    void markdownBecomesMrkdwn() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.1"));

        open().send(toChannel(MessageContent.markdown(
                "# Title\n\n**bold** and *italic* and ~~gone~~, `a<b`, [docs](https://example.com/?a=1&b=2) <script>\n\n- one\n- two")));

        Map<String, String> form = FakeSlackApi.form(server.takeRequest(FakeSlackApi.WAIT));
        assertThat(form.get("text")).isEqualTo("*Title*\n\n*bold* and _italic_ and ~gone~, `a&lt;b`, "
                + "<https://example.com/?a=1&amp;b=2|docs> &lt;script&gt;\n\n\u2022 one\n\u2022 two");
        assertThat(form).containsEntry("mrkdwn", "1");
    }

    @Test
    void aUserGetsTheDirectMessageOpenedByConversationsOpen() throws Exception {
        server.stub(path("conversations.open"), FakeSlackApi.opened("D0999"));
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("D0999", "1.2"));

        DeliveryReceipt receipt = open().send(message(TargetType.USER, "U0456", MessageContent.text("hi"), null));

        List<RecordedRequest> calls = FakeSlackApi.calls(server);
        assertThat(calls).extracting(FakeSlackApi::method).containsExactly("conversations.open", "chat.postMessage");
        assertThat(FakeSlackApi.form(calls.get(0))).containsEntry("users", "U0456");
        assertThat(FakeSlackApi.form(calls.get(1))).containsEntry("channel", "D0999");
        assertThat(receipt.details()).containsEntry("channel", "D0999");
    }

    @Test
    void longTextIsSplitIntoOrderedMessages() throws Exception {
        server.enqueue(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.1"));
        server.enqueue(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.2"));
        server.enqueue(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.3"));
        String paragraph = "word ".repeat(700).strip(); // 3499 characters
        String text = paragraph + "\n\n" + paragraph + "\n\n" + paragraph;

        DeliveryReceipt receipt = open().send(toChannel(MessageContent.text(text)));

        assertThat(receipt.platformMessageIds()).containsExactly("1.1", "1.2", "1.3");
        List<String> texts = server.requests().stream().map(r -> FakeSlackApi.form(r).get("text")).toList();
        assertThat(texts).hasSize(3).allSatisfy(part -> {
            assertThat(part).hasSizeLessThanOrEqualTo(SlackMessages.MESSAGE_LIMIT).isEqualTo(paragraph);
        });
        assertThat(receipt.details()).containsEntry("messageCount", "3");
    }

    @Test
    void aRetryOfASplitMessagePostsOnlyThePartsNotYetDelivered() throws Exception {
        String paragraph = "word ".repeat(700).strip();
        OutboundMessage message = toChannel(MessageContent.text(paragraph + "\n\n" + paragraph + "\n\n" + paragraph));
        PlatformClient client = open();
        server.enqueue(path("chat.postMessage"), FakeSlackApi.posted("C0123", "2.1"));
        server.enqueue(path("chat.postMessage"), FakeResponse.json(503, "{\"ok\":false,\"error\":\"service_unavailable\"}"));

        Throwable thrown = catchThrowable(() -> client.send(message));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).deliveredParts()).containsExactly("2.1");

        server.enqueue(path("chat.postMessage"), FakeSlackApi.posted("C0123", "2.2"));
        server.enqueue(path("chat.postMessage"), FakeSlackApi.posted("C0123", "2.3"));
        DeliveryReceipt receipt = client.send(message.withDeliveredParts(List.of("2.1")));

        assertThat(receipt.platformMessageIds()).containsExactly("2.1", "2.2", "2.3");
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void buttonsAreABlockKitActionsBlock() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.1"));
        MessageContent content = new MessageContent("Deploy?", TextFormat.PLAIN, null,
                List.of(Button.action("Approve", "approve:42"), new Button("Reject", "reject:42", null, ButtonStyle.DANGER),
                        Button.link("Open", URI.create("https://example.com/deploys/42"))), null);

        open().send(toChannel(content));

        RecordedRequest request = server.takeRequest(FakeSlackApi.WAIT);
        assertThat(FakeSlackApi.form(request)).containsEntry("text", "Deploy?");
        JsonArray blocks = blocks(request);
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0).toString()).isEqualTo(
                "{\"type\":\"section\",\"text\":{\"type\":\"plain_text\",\"text\":\"Deploy?\",\"emoji\":true}}");
        JsonObject actions = blocks.get(1).getAsJsonObject();
        assertThat(actions.get("type").getAsString()).isEqualTo("actions");
        JsonArray elements = actions.getAsJsonArray("elements");
        assertThat(elements.get(0).toString()).isEqualTo("{\"type\":\"button\",\"action_id\":\"gatekit_button_0\","
                + "\"text\":{\"type\":\"plain_text\",\"text\":\"Approve\",\"emoji\":true},\"value\":\"approve:42\",\"style\":\"primary\"}");
        assertThat(elements.get(1).getAsJsonObject().get("style").getAsString()).isEqualTo("danger");
        assertThat(elements.get(2).getAsJsonObject().get("url").getAsString()).isEqualTo("https://example.com/deploys/42");
        assertThat(elements.get(2).getAsJsonObject().has("value")).isFalse();
    }

    @Test
    void attachmentsBecomeImageBlocksOrLinks() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.1"));
        MessageContent content = new MessageContent(null, TextFormat.PLAIN, List.of(
                new Attachment(URI.create("https://cdn.example.com/cat.png"), null, "cat.png", "image/png", "A cat"),
                Attachment.fromUrl(URI.create("https://cdn.example.com/report.pdf"), "report.pdf", "application/pdf")),
                null, null);

        open().send(toChannel(content));

        RecordedRequest request = server.takeRequest(FakeSlackApi.WAIT);
        assertThat(FakeSlackApi.form(request)).containsEntry("text", "cat.png");
        JsonArray blocks = blocks(request);
        assertThat(blocks.get(0).toString()).isEqualTo("{\"type\":\"image\",\"image_url\":\"https://cdn.example.com/cat.png\","
                + "\"alt_text\":\"cat.png\",\"title\":{\"type\":\"plain_text\",\"text\":\"A cat\",\"emoji\":true}}");
        assertThat(blocks.get(1).getAsJsonObject().getAsJsonObject("text").get("text").getAsString())
                .isEqualTo("\uD83D\uDCCE <https://cdn.example.com/report.pdf|report.pdf>");
    }

    @Test
    void embedsBecomeSectionsFieldsImageAndContext() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.1"));
        Embed embed = new Embed("Build <7>", "**passed** in 3m", 0x00FF00, URI.create("https://ci.example.com/7"),
                URI.create("https://ci.example.com/7.png"), null, "CI", "main",
                List.of(new EmbedField("Branch", "main", true)), Instant.ofEpochSecond(1700000000));

        open().send(toChannel(new MessageContent(null, TextFormat.PLAIN, null, null, List.of(embed))));

        JsonArray blocks = blocks(server.takeRequest(FakeSlackApi.WAIT));
        assertThat(blocks).extracting(block -> block.getAsJsonObject().get("type").getAsString())
                .containsExactly("section", "section", "image", "context");
        assertThat(blocks.get(0).getAsJsonObject().getAsJsonObject("text").get("text").getAsString())
                .isEqualTo("*<https://ci.example.com/7|Build &lt;7&gt;>*\n*passed* in 3m");
        assertThat(blocks.get(1).getAsJsonObject().getAsJsonArray("fields").get(0).getAsJsonObject().get("text").getAsString())
                .isEqualTo("*Branch*\nmain");
        assertThat(blocks.get(3).toString()).contains("\"CI\"", "\"main\"", "<!date^1700000000^");
    }

    @Test
    void threadIdAndReplyToBecomeThreadTs() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.9"));
        PlatformClient client = open();

        client.send(message(TargetType.CHANNEL, "C0123", MessageContent.text("in thread"), new SendOptions(null, "1700.0001", false)));
        client.send(message(TargetType.CHANNEL, "C0123", MessageContent.text("a reply"), new SendOptions("1700.0002", null, false)));

        assertThat(FakeSlackApi.form(server.takeRequest(FakeSlackApi.WAIT))).containsEntry("thread_ts", "1700.0001");
        assertThat(FakeSlackApi.form(server.takeRequest(FakeSlackApi.WAIT))).containsEntry("thread_ts", "1700.0002");
    }

    @ParameterizedTest
    @CsvSource({
            "channel_not_found, invalid_target",
            "user_not_found, invalid_target",
            "not_in_channel, bot_not_member",
            "is_archived, channel_archived",
            "invalid_auth, unauthorized",
            "not_authed, unauthorized",
            "account_inactive, unauthorized",
            "token_revoked, unauthorized",
            "missing_scope, forbidden",
            "restricted_action, forbidden",
            "msg_too_long, content_too_large",
            "no_text, content_rejected",
            "invalid_blocks, content_rejected",
            "thread_not_found, invalid_thread",
            "something_new, platform_error"})
    void slackErrorsArePermanentWithAReasonCodeAndTheHttpStatus(String error, String reasonCode) throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.error(error));

        Throwable thrown = catchThrowable(() -> open().send(toChannel(MessageContent.text("x"))));

        assertThat(thrown).isInstanceOf(PermanentDeliveryException.class);
        assertThat(((PermanentDeliveryException) thrown).reasonCode()).isEqualTo(reasonCode);
        assertThat(((PermanentDeliveryException) thrown).platformStatus()).as("Slack's ok:false comes as HTTP 200").hasValue(200);
        assertThat(thrown.getMessage()).contains(error).doesNotContain(FakeSlackApi.TOKEN);
    }

    @Test
    void anErrorAnswerReportsTheHttpStatusSlackGaveWhateverItIs() throws Exception {
        PlatformClient client = open();
        server.enqueue(path("chat.postMessage"), FakeResponse.json(201, "{\"ok\":false,\"error\":\"channel_not_found\"}"));
        server.enqueue(path("chat.postMessage"), FakeResponse.json(400, "{\"ok\":false,\"error\":\"invalid_arguments\"}"));
        server.enqueue(path("chat.postMessage"), FakeResponse.json(403, "{}"));

        Throwable created = catchThrowable(() -> client.send(toChannel(MessageContent.text("x"))));
        Throwable badRequest = catchThrowable(() -> client.send(toChannel(MessageContent.text("x"))));
        Throwable forbidden = catchThrowable(() -> client.send(toChannel(MessageContent.text("x"))));

        assertThat(created).isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
            assertThat(e.reasonCode()).isEqualTo("invalid_target");
            assertThat(e.platformStatus()).hasValue(201);
        });
        assertThat(badRequest).isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
            assertThat(e.reasonCode()).isEqualTo("content_rejected");
            assertThat(e).hasMessageContaining("invalid_arguments");
            assertThat(e.platformStatus()).hasValue(400);
        });
        assertThat(forbidden).isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
            assertThat(e.reasonCode()).isEqualTo("forbidden");
            assertThat(e.platformStatus()).hasValue(403);
        });
    }

    @Test
    void aRefusedTokenTurnsHealthDown() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.error("token_revoked"));
        PlatformClient client = open();
        assertThat(client.health().state()).isEqualTo(HealthStatus.State.UP);

        catchThrowable(() -> client.send(toChannel(MessageContent.text("x"))));

        assertThat(client.health().state()).isEqualTo(HealthStatus.State.DOWN);
        assertThat(client.health().detail()).contains("token_revoked");
    }

    @Test
    void http429CarriesRetryAfterExactly() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.rateLimited(30));

        Throwable thrown = catchThrowable(() -> open().send(toChannel(MessageContent.text("x"))));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).hasValue(429);
        assertThat(server.requests()).as("the client does not retry on its own").hasSize(1);
    }

    @Test
    void ratelimitedErrorWithoutA429IsRetryable() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.error("ratelimited"));

        Throwable thrown = catchThrowable(() -> open().send(toChannel(MessageContent.text("x"))));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class).hasMessageContaining("ratelimited");
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).hasValue(200);
    }

    @Test
    void serverErrorsAndUnreadableAnswersAreRetryable() throws Exception {
        PlatformClient client = open();
        server.enqueue(path("chat.postMessage"), FakeResponse.json(503, "{\"ok\":false,\"error\":\"service_unavailable\"}"));
        server.enqueue(path("chat.postMessage"), FakeResponse.text(502, "<html>Bad Gateway</html>"));
        server.enqueue(path("chat.postMessage"), FakeResponse.text(200, "<html>proxy login</html>"));
        server.enqueue(path("chat.postMessage"), FakeSlackApi.error("internal_error"));

        Integer[] statuses = {503, 502, null, 200};
        for (int i = 0; i < 4; i++) {
            Throwable thrown = catchThrowable(() -> client.send(toChannel(MessageContent.text("x"))));
            assertThat(thrown).as("attempt %d", i).isInstanceOf(RetryableDeliveryException.class);
            OptionalInt status = ((RetryableDeliveryException) thrown).platformStatus();
            assertThat(status.isPresent() ? (Integer) status.getAsInt() : null).as("attempt %d", i).isEqualTo(statuses[i]);
        }
    }

    @Test
    void anUnreachableSlackIsRetryable() throws Exception {
        PlatformClient client = open();
        server.close();

        Throwable thrown = catchThrowable(() -> client.send(toChannel(MessageContent.text("x"))));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).as("nothing answered").isEmpty();
    }

    @Test
    void validationCallsAuthTest() throws Exception {
        new SlackPlatformProvider().validateCredentials(configuration(Map.of()), context);

        RecordedRequest request = server.takeRequest(FakeSlackApi.WAIT);
        assertThat(request.path()).isEqualTo("/api/auth.test");
        assertThat(request.header("Authorization")).contains("Bearer " + FakeSlackApi.TOKEN);
    }

    @Test
    void slackIsCalledOnlyThroughTheHostsAddressPolicyAndRedirectsAreNotFollowed() {
        Throwable refused = catchThrowable(() -> new SlackPlatformProvider().validateCredentials(configuration(Map.of()),
                context.refusingEveryAddress()));
        assertThat(refused).isInstanceOf(InvalidConfigurationException.class);
        assertThat(server.requests()).as("the connection was refused before any request").isEmpty();

        FakePlatformServer internal = FakePlatformServer.start();
        try {
            internal.stub(path("auth.test"), FakeSlackApi.authTest());
            server.reset();
            server.stub(path("auth.test"), FakeResponse.status(302).withHeader("Location", internal.baseUri().resolve("/api/auth.test").toString()));

            assertThat(catchThrowable(() -> new SlackPlatformProvider().validateCredentials(configuration(Map.of()), context)))
                    .isInstanceOf(InvalidConfigurationException.class);
            assertThat(internal.requests()).as("the redirect was not followed").isEmpty();
        } finally {
            internal.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"invalid_auth", "not_authed", "account_inactive", "token_revoked"})
    void aTokenSlackRefusesIsReportedOnBotToken(String error) {
        server.reset();
        server.stub(path("auth.test"), FakeSlackApi.error(error));

        Throwable thrown = catchThrowable(() -> new SlackPlatformProvider().validateCredentials(configuration(Map.of()), context));

        assertThat(thrown).isInstanceOf(InvalidConfigurationException.class);
        assertThat(((InvalidConfigurationException) thrown).field()).isEqualTo("botToken");
        assertThat(thrown.getMessage()).contains("refused", error).doesNotContain(FakeSlackApi.TOKEN);
    }

    @Test
    void malformedTokenAndApiBaseUrlAreRefusedByName() {
        Throwable token = catchThrowable(() -> new SlackPlatformProvider().openClient(new PlatformConfiguration("cfg-1",
                "proj-1", Map.of("botToken", "not-a-token"), Map.of(), false), context));
        assertThat(token).isInstanceOf(InvalidConfigurationException.class);
        assertThat(((InvalidConfigurationException) token).field()).isEqualTo("botToken");

        Throwable base = catchThrowable(() -> new SlackPlatformProvider().openClient(configuration(Map.of("apiBaseUrl", "ftp://x")),
                TestPlatformContext.withoutServer()));
        assertThat(base).isInstanceOf(InvalidConfigurationException.class);
        assertThat(((InvalidConfigurationException) base).field()).isEqualTo("apiBaseUrl");

        for (String bound : List.of("0", "257", "some")) {
            Throwable concurrency = catchThrowable(() -> new SlackPlatformProvider().openClient(
                    configuration(Map.of("maxConcurrentRequests", bound)), context));
            assertThat(concurrency).as(bound).isInstanceOf(InvalidConfigurationException.class);
            assertThat(((InvalidConfigurationException) concurrency).field()).isEqualTo("maxConcurrentRequests");
        }
    }

    @Test
    void theApiBaseUrlSettingIsUsedWithoutAContextOverride() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.1"));
        PlatformClient client = new SlackPlatformProvider().openClient(
                configuration(Map.of("apiBaseUrl", "http://127.0.0.1:" + server.port())), TestPlatformContext.withoutServer());
        clients.add(client);

        client.send(toChannel(MessageContent.text("x")));

        assertThat(server.takeRequest(FakeSlackApi.WAIT).path()).isEqualTo("/api/chat.postMessage");
    }

    @Test
    void aClosedClientRefusesToSend() throws Exception {
        PlatformClient client = open();
        client.close();

        assertThat(catchThrowable(() -> client.send(toChannel(MessageContent.text("x")))))
                .isInstanceOf(RetryableDeliveryException.class);
        assertThat(client.health().state()).isEqualTo(HealthStatus.State.DOWN);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anOversizedButtonValueIsRejectedBeforeSending() throws Exception {
        MessageContent content = new MessageContent("x", TextFormat.PLAIN, null,
                List.of(Button.action("Big", "v".repeat(SlackMessages.BUTTON_VALUE_LIMIT + 1))), null);

        Throwable thrown = catchThrowable(() -> open().send(toChannel(content)));

        assertThat(thrown).isInstanceOf(PermanentDeliveryException.class);
        assertThat(((PermanentDeliveryException) thrown).reasonCode()).isEqualTo(ReasonCodes.CONTENT_REJECTED);
        assertThat(server.requests()).isEmpty();
    }
}
