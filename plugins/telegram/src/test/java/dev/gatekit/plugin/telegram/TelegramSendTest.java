package dev.gatekit.plugin.telegram;

import static dev.gatekit.plugin.telegram.FakeBotApi.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.RefusedAddressException;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.SendOptions;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.TextFormat;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real telegrambots client against the fake Bot API: exactly what each send puts on the wire. */
@Timeout(60)
class TelegramSendTest {

    static final String TOKEN = TelegramPlatformContractTest.TOKEN;

    private FakePlatformServer server;
    private final List<PlatformClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakePlatformServer.start();
        FakeBotApi.stubWebhook(server);
    }

    @AfterEach
    void stop() {
        clients.forEach(PlatformClient::close);
        server.close();
    }

    private PlatformClient client(String parseMode) throws Exception {
        Map<String, String> settings = new HashMap<>();
        if (parseMode != null) {
            settings.put("parseMode", parseMode);
        }
        PlatformClient client = new TelegramPlatformProvider().openClient(
                new PlatformConfiguration("cfg-1", "proj-1", Map.of("botToken", TOKEN), settings, false),
                TestPlatformContext.forServer(server));
        clients.add(client);
        return client;
    }

    private static OutboundMessage message(Target target, MessageContent content, SendOptions options) {
        return new OutboundMessage("msg-1", target, content, options, Map.of());
    }

    private static OutboundMessage text(String text) {
        return message(Target.user("12345"), MessageContent.text(text), null);
    }

    @Test
    void plainTextGoesAsIsWithoutParseMode() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.sent(77));
        String text = "Hello *world* <b>not bold</b> _under_ [x](y) 1.5!";
        DeliveryReceipt receipt = client(null).send(text(text));

        BotApiCall call = FakeBotApi.sends(server).get(0);
        assertThat(call.token()).isEqualTo(TOKEN);
        assertThat(call.method()).isEqualTo("sendmessage");
        assertThat(call.field("chat_id")).isEqualTo("12345");
        assertThat(call.field("text")).isEqualTo(text);
        assertThat(call.fields()).doesNotContainKeys("parse_mode", "disable_notification", "message_thread_id",
                "reply_parameters", "reply_markup");
        assertThat(receipt.platformMessageIds()).containsExactly("77");
        assertThat(receipt.details()).containsEntry("chatId", "12345");
    }

    @Test
    void markdownWithEveryMarkdownV2SpecialCharacterArrivesIntact() throws Exception {
        // Literal in CommonMark, every one of them special in MarkdownV2.
        String literal = "Price: 5.00 (approx) - 10% off! a+b=c #tag {x} [y] |z| ~w > q snake_case_name 2 * 3 back\\slash `";
        server.enqueue(path("sendMessage"), FakeBotApi.sent(1));
        client("MarkdownV2").send(message(Target.channel("@news_channel"), MessageContent.markdown(literal), null));

        BotApiCall call = FakeBotApi.sends(server).get(0);
        assertThat(call.field("chat_id")).isEqualTo("@news_channel");
        assertThat(call.field("parse_mode")).isEqualTo("MarkdownV2");
        assertThat(MarkdownV2.visibleText(call.field("text"))).isEqualTo(literal);
    }

    @Test
    void markdownIsConvertedToMarkdownV2() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.sent(1));
        client("MarkdownV2").send(message(Target.user("12345"),
                MessageContent.markdown("**Bold** and *it.* with `a_b` and [a (link)](https://example.com/a_(b)) ~~old~~"), null));

        assertThat(FakeBotApi.sends(server).get(0).field("text"))
                .isEqualTo("*Bold* and _it\\._ with `a_b` and [a \\(link\\)](https://example.com/a_(b\\)) ~old~");
    }

    @Test
    void markdownIsConvertedToHtmlByDefault() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.sent(1));
        client(null).send(message(Target.user("12345"), MessageContent.markdown(
                "# Title\n\n**a < b** & _c > d_\n\n```java\nif (a < b) {}\n```\n\n> quoted\n\n- one\n- two"), null));

        BotApiCall call = FakeBotApi.sends(server).get(0);
        assertThat(call.field("parse_mode")).isEqualTo("HTML");
        assertThat(call.field("text")).isEqualTo("<b>Title</b>\n\n<b>a &lt; b</b> &amp; <i>c &gt; d</i>\n\n"
                + "<pre><code class=\"language-java\">if (a &lt; b) {}</code></pre>\n\n<blockquote>quoted</blockquote>\n\n• one\n• two");
    }

    @Test
    void htmlInputIsReducedToTelegramsSubset() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.sent(1));
        client("HTML").send(message(Target.user("12345"), new MessageContent(
                "<p>Hi <strong>you</strong> <font color=red>red</font> <a href=\"https://x.test/?a=1&amp;b=2\">go</a> &lt;3 & more",
                TextFormat.HTML, null, null, null), null));

        assertThat(FakeBotApi.sends(server).get(0).field("text"))
                .isEqualTo("Hi <b>you</b> red <a href=\"https://x.test/?a=1&amp;b=2\">go</a> &lt;3 &amp; more");
    }

    @Test
    void longTextIsSplitAtParagraphsInOrderAndTheReceiptKeepsTheOrder() throws Exception {
        String first = "A".repeat(3000);
        String second = "B".repeat(3000);
        String third = "C".repeat(100);
        server.enqueue(path("sendMessage"), FakeBotApi.sent(11));
        server.enqueue(path("sendMessage"), FakeBotApi.sent(12));
        server.enqueue(path("sendMessage"), FakeBotApi.sent(13));

        DeliveryReceipt receipt = client(null).send(text(first + "\n\n" + second + "\n\n" + third));

        List<String> texts = FakeBotApi.sends(server).stream().map(call -> call.field("text")).toList();
        assertThat(texts).containsExactly(first, second + "\n\n" + third);
        assertThat(receipt.platformMessageIds()).containsExactly("11", "12");
        assertThat(receipt.details()).containsEntry("messageCount", "2");
    }

    @Test
    void aRetryOfASplitMessageSendsOnlyThePartsNotYetDelivered() throws Exception {
        String first = "A".repeat(3000);
        String second = "B".repeat(3000);
        String third = "C".repeat(3000);
        OutboundMessage message = text(first + "\n\n" + second + "\n\n" + third);
        PlatformClient client = client(null);
        server.enqueue(path("sendMessage"), FakeBotApi.sent(21));
        server.enqueue(path("sendMessage"), FakeBotApi.error(502, "Bad Gateway"));

        Throwable thrown = catchThrowable(() -> client.send(message));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).deliveredParts()).containsExactly("21");

        server.enqueue(path("sendMessage"), FakeBotApi.sent(22));
        server.enqueue(path("sendMessage"), FakeBotApi.sent(23));
        DeliveryReceipt receipt = client.send(message.withDeliveredParts(List.of("21")));

        List<String> texts = FakeBotApi.sends(server).stream().map(call -> call.field("text")).toList();
        assertThat(texts).containsExactly(first, second, second, third);
        assertThat(receipt.platformMessageIds()).containsExactly("21", "22", "23");
    }

    @Test
    void aRetryAfterAnAlbumWasDeliveredSendsOnlyTheTextAfterIt() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.sent(33));
        OutboundMessage message = message(Target.user("12345"), new MessageContent("x".repeat(2000), TextFormat.PLAIN, List.of(
                Attachment.fromUrl(URI.create("https://cdn.example.com/a.jpg"), null, null),
                Attachment.fromUrl(URI.create("https://cdn.example.com/b.jpg"), null, null)), null, null), null);

        DeliveryReceipt receipt = client(null).send(message.withDeliveredParts(List.of("31", "32")));

        assertThat(FakeBotApi.sends(server)).extracting(BotApiCall::method).containsExactly("sendmessage");
        assertThat(receipt.platformMessageIds()).containsExactly("31", "32", "33");
    }

    @Test
    void aLongParagraphIsSplitAtLinesThenWords() throws Exception {
        server.setDefaultResponse(FakeBotApi.sent(1));
        StringBuilder words = new StringBuilder();
        while (words.length() < 9000) {
            words.append("word").append(words.length() % 7).append(' ');
        }
        String text = words.toString().trim();
        client(null).send(text(text));

        List<String> parts = FakeBotApi.sends(server).stream().map(call -> call.field("text")).toList();
        assertThat(parts).hasSize(3).allSatisfy(part -> {
            assertThat(part.length()).isLessThanOrEqualTo(4096);
            assertThat(part).doesNotStartWith(" ").doesNotEndWith(" ");
        });
        assertThat(String.join(" ", parts)).isEqualTo(text);
    }

    @Test
    void formattedTextIsSplitIntoBalancedParts() throws Exception {
        server.setDefaultResponse(FakeBotApi.sent(1));
        String bold = "**" + "word ".repeat(1000).trim() + "**";
        client("MarkdownV2").send(message(Target.user("12345"), MessageContent.markdown(bold), null));

        List<String> parts = FakeBotApi.sends(server).stream().map(call -> call.field("text")).toList();
        assertThat(parts).hasSize(2).allSatisfy(part -> {
            assertThat(part).startsWith("*").endsWith("*");
            assertThat(MarkdownV2.visibleText(part).length()).isLessThanOrEqualTo(4096);
        });
    }

    @Test
    void buttonsBecomeAnInlineKeyboard() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.sent(5));
        client(null).send(message(Target.group("-100200300"), new MessageContent("Pick one", TextFormat.PLAIN, null,
                List.of(Button.action("Yes", "answer:yes"), Button.action("No", "answer:no"),
                        Button.link("Docs", URI.create("https://example.com/docs"))), null), null));

        JsonNode keyboard = FakeBotApi.sends(server).get(0).json("reply_markup").get("inline_keyboard");
        assertThat(keyboard).hasSize(1);
        assertThat(keyboard.get(0).toString()).isEqualTo("[{\"text\":\"Yes\",\"callback_data\":\"answer:yes\"},"
                + "{\"text\":\"No\",\"callback_data\":\"answer:no\"},{\"text\":\"Docs\",\"url\":\"https://example.com/docs\"}]");
    }

    @Test
    void manyButtonsGoOnePerRow() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.sent(5));
        List<Button> buttons = List.of(Button.action("One", "1"), Button.action("Two", "2"), Button.action("Three", "3"),
                Button.action("Four", "4"));
        client(null).send(message(Target.user("12345"), new MessageContent("Pick", TextFormat.PLAIN, null, buttons, null), null));

        JsonNode keyboard = FakeBotApi.sends(server).get(0).json("reply_markup").get("inline_keyboard");
        assertThat(keyboard).hasSize(4);
        assertThat(keyboard.get(3).get(0).get("callback_data").asText()).isEqualTo("4");
    }

    @Test
    void callbackDataOverTelegramsLimitIsRefusedBeforeSending() throws Exception {
        PlatformClient client = client(null);
        Throwable thrown = catchThrowable(() -> client.send(message(Target.user("12345"), new MessageContent("Pick",
                TextFormat.PLAIN, null, List.of(Button.action("Long", "x".repeat(65))), null), null)));

        assertThat(thrown).isInstanceOf(PermanentDeliveryException.class);
        assertThat(((PermanentDeliveryException) thrown).reasonCode()).isEqualTo("content_rejected");
        assertThat(FakeBotApi.sends(server)).isEmpty();
    }

    @Test
    void threadReplyAndSilentAreSent() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.sent(9));
        server.enqueue(path("sendMessage"), FakeBotApi.sent(10));
        client(null).send(message(Target.group("-1001234567890"), MessageContent.text("x".repeat(4095) + "\n\ny"),
                new SendOptions("321", "17", true)));

        List<BotApiCall> calls = FakeBotApi.sends(server);
        assertThat(calls).hasSize(2);
        BotApiCall first = calls.get(0);
        assertThat(first.field("chat_id")).isEqualTo("-1001234567890");
        assertThat(first.field("message_thread_id")).isEqualTo("17");
        assertThat(first.field("disable_notification")).isEqualTo("true");
        assertThat(first.json("reply_parameters").get("message_id").asInt()).isEqualTo(321);
        assertThat(first.json("reply_parameters").get("allow_sending_without_reply").asBoolean()).isTrue();
        // The thread and silence hold for every part; the reply only for the first.
        assertThat(calls.get(1).field("message_thread_id")).isEqualTo("17");
        assertThat(calls.get(1).field("disable_notification")).isEqualTo("true");
        assertThat(calls.get(1).fields()).doesNotContainKey("reply_parameters");
    }

    @Test
    void aPhotoByUrlCarriesTheTextAsCaption() throws Exception {
        server.enqueue(path("sendPhoto"), FakeBotApi.sent(3));
        client(null).send(message(Target.user("12345"), new MessageContent("*Look*", TextFormat.MARKDOWN,
                List.of(Attachment.fromUrl(URI.create("https://cdn.example.com/cat.jpg"), null, "image/jpeg")), null, null),
                new SendOptions(null, null, true)));

        BotApiCall call = FakeBotApi.sends(server).get(0);
        assertThat(call.method()).isEqualTo("sendphoto");
        assertThat(call.field("photo")).isEqualTo("https://cdn.example.com/cat.jpg");
        assertThat(call.field("caption")).isEqualTo("<i>Look</i>");
        assertThat(call.field("parse_mode")).isEqualTo("HTML");
        assertThat(call.field("chat_id")).isEqualTo("12345");
        assertThat(call.field("disable_notification")).isEqualTo("true");
    }

    @Test
    void aPlainCaptionGoesAsIsWithoutParseMode() throws Exception {
        server.enqueue(path("sendDocument"), FakeBotApi.sent(3));
        client("MarkdownV2").send(message(Target.user("12345"), new MessageContent("a < b & *c*", TextFormat.PLAIN,
                List.of(Attachment.fromUrl(URI.create("https://cdn.example.com/notes.txt"), null, "text/plain")), null, null), null));

        BotApiCall call = FakeBotApi.sends(server).get(0);
        assertThat(call.method()).isEqualTo("senddocument");
        assertThat(call.field("caption")).isEqualTo("a < b & *c*");
        assertThat(call.fields()).doesNotContainKey("parse_mode");
    }

    @Test
    void uploadedBytesGoAsAMultipartFileChosenByMimeType() throws Exception {
        byte[] pdf = "%PDF-1.7 binary \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        byte[] song = new byte[] {1, 2, 3};
        byte[] clip = new byte[] {4, 5};
        server.enqueue(path("sendDocument"), FakeBotApi.sent(1));
        server.enqueue(path("sendAudio"), FakeBotApi.sent(2));
        server.enqueue(path("sendVideo"), FakeBotApi.sent(3));
        server.enqueue(path("sendMessage"), FakeBotApi.sent(4));
        PlatformClient client = client(null);

        DeliveryReceipt receipt = client.send(message(Target.user("12345"), new MessageContent("x".repeat(2000), TextFormat.PLAIN,
                List.of(Attachment.inline(pdf, "report 2024.pdf", "application/pdf"),
                        Attachment.inline(song, "song.mp3", null),
                        Attachment.inline(clip, "clip.mp4", "video/mp4")), List.of(Button.action("Ok", "ok")), null), null));

        List<BotApiCall> calls = FakeBotApi.sends(server);
        assertThat(calls).extracting(BotApiCall::method).containsExactly("senddocument", "sendaudio", "sendvideo", "sendmessage");
        assertThat(calls.get(0).field("document")).isEqualTo("attach://report_2024.pdf");
        assertThat(calls.get(0).uploads().get("report_2024.pdf")).isEqualTo(new BotApiCall.Upload("report_2024.pdf", pdf));
        assertThat(calls.get(1).uploads().get("song.mp3").data()).isEqualTo(song);
        assertThat(calls.get(2).uploads().get("clip.mp4").data()).isEqualTo(clip);
        // The text is too long for a caption: it follows, with the keyboard.
        assertThat(calls.get(0).fields()).doesNotContainKeys("caption", "reply_markup");
        assertThat(calls.get(3).field("text")).hasSize(2000);
        assertThat(calls.get(3).fields()).containsKey("reply_markup");
        assertThat(receipt.platformMessageIds()).containsExactly("1", "2", "3", "4");
    }

    @Test
    void severalPhotosGoAsOneMediaGroup() throws Exception {
        byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G'};
        server.enqueue(path("sendMediaGroup"), FakeBotApi.album(21, 22, 23));
        DeliveryReceipt receipt = client("MarkdownV2").send(message(Target.user("12345"), new MessageContent("Trip *photos*!",
                TextFormat.MARKDOWN, List.of(
                        Attachment.fromUrl(URI.create("https://cdn.example.com/a.jpg"), null, null),
                        Attachment.inline(png, "b.png", "image/png"),
                        Attachment.fromUrl(URI.create("https://cdn.example.com/c.mp4"), "c.mp4", "video/mp4")), null, null),
                new SendOptions(null, "5", false)));

        List<BotApiCall> calls = FakeBotApi.sends(server);
        assertThat(calls).hasSize(1);
        BotApiCall call = calls.get(0);
        assertThat(call.method()).isEqualTo("sendmediagroup");
        assertThat(call.field("chat_id")).isEqualTo("12345");
        assertThat(call.field("message_thread_id")).isEqualTo("5");
        JsonNode media = call.json("media");
        assertThat(media).hasSize(3);
        assertThat(media.get(0).get("type").asText()).isEqualTo("photo");
        assertThat(media.get(0).get("media").asText()).isEqualTo("https://cdn.example.com/a.jpg");
        assertThat(media.get(0).get("caption").asText()).isEqualTo("Trip _photos_\\!");
        assertThat(media.get(0).get("parse_mode").asText()).isEqualTo("MarkdownV2");
        assertThat(media.get(1).get("type").asText()).isEqualTo("photo");
        assertThat(media.get(1).get("media").asText()).isEqualTo("attach://b.png");
        assertThat(media.get(1).has("caption")).isFalse();
        assertThat(media.get(2).get("type").asText()).isEqualTo("video");
        assertThat(call.uploads().get("b.png").data()).isEqualTo(png);
        assertThat(receipt.platformMessageIds()).containsExactly("21", "22", "23");
    }

    @Test
    void aMediaGroupWithButtonsSendsItsLastAttachmentAloneWithTheKeyboard() throws Exception {
        server.enqueue(path("sendMediaGroup"), FakeBotApi.album(1, 2));
        server.enqueue(path("sendPhoto"), FakeBotApi.sent(3));
        client(null).send(message(Target.user("12345"), new MessageContent(null, TextFormat.PLAIN, List.of(
                Attachment.fromUrl(URI.create("https://cdn.example.com/1.jpg"), null, null),
                Attachment.fromUrl(URI.create("https://cdn.example.com/2.jpg"), null, null),
                Attachment.fromUrl(URI.create("https://cdn.example.com/3.jpg"), null, null)),
                List.of(Button.action("Like", "like")), null), null));

        List<BotApiCall> calls = FakeBotApi.sends(server);
        assertThat(calls).extracting(BotApiCall::method).containsExactly("sendmediagroup", "sendphoto");
        assertThat(calls.get(0).json("media")).hasSize(2);
        assertThat(calls.get(1).field("photo")).isEqualTo("https://cdn.example.com/3.jpg");
        assertThat(calls.get(1).json("reply_markup").get("inline_keyboard").get(0).get(0).get("callback_data").asText())
                .isEqualTo("like");
    }

    @Test
    void documentsAreNotMixedIntoAPhotoAlbum() throws Exception {
        server.setDefaultResponse(FakeBotApi.sent(1));
        server.enqueue(path("sendMediaGroup"), FakeBotApi.album(1, 2));
        client(null).send(message(Target.user("12345"), new MessageContent(null, TextFormat.PLAIN, List.of(
                Attachment.fromUrl(URI.create("https://cdn.example.com/1.jpg"), null, null),
                Attachment.fromUrl(URI.create("https://cdn.example.com/2.png"), null, null),
                Attachment.fromUrl(URI.create("https://cdn.example.com/3.pdf"), null, null)), null, null), null));

        assertThat(FakeBotApi.sends(server)).extracting(BotApiCall::method).containsExactly("sendmediagroup", "senddocument");
    }

    @Test
    void aGroupUpgradedToASupergroupIsRetriedOnceAtItsNewId() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.migrated(-1009876543210L));
        server.enqueue(path("sendMessage"), FakeBotApi.sent(8));

        DeliveryReceipt receipt = client(null).send(message(Target.group("-4242"), MessageContent.text("hi"), null));

        List<BotApiCall> calls = FakeBotApi.sends(server);
        assertThat(calls).extracting(call -> call.field("chat_id")).containsExactly("-4242", "-1009876543210");
        assertThat(receipt.platformMessageIds()).containsExactly("8");
        assertThat(receipt.details()).containsEntry("migratedFromChatId", "-4242")
                .containsEntry("migratedToChatId", "-1009876543210").containsEntry("chatId", "-1009876543210");
    }

    @Test
    void aFailureAtTheNewIdOfAMigratedGroupNamesTheNewId() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.migrated(-1009876543210L));
        server.enqueue(path("sendMessage"), FakeBotApi.error(403, "Forbidden: bot is not a member of the supergroup chat"));

        Throwable thrown = catchThrowable(() -> client(null).send(message(Target.group("-4242"), MessageContent.text("hi"), null)));

        assertThat(thrown).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("bot is not a member").hasMessageContaining("-1009876543210");
        assertThat(((PermanentDeliveryException) thrown).platformStatus()).hasValue(403);
    }

    @Test
    void aSecondMigrationIsNotFollowed() throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.migrated(-100555));
        Throwable thrown = catchThrowable(() -> client(null).send(message(Target.group("-4242"), MessageContent.text("hi"), null)));

        assertThat(thrown).isInstanceOf(PermanentDeliveryException.class);
        assertThat(((PermanentDeliveryException) thrown).reasonCode()).isEqualTo("invalid_target");
        assertThat(FakeBotApi.sends(server)).hasSize(2);
    }

    static Stream<Arguments> permanentFailures() {
        return Stream.of(
                Arguments.of(400, "Bad Request: chat not found", "invalid_target"),
                Arguments.of(403, "Forbidden: bot was blocked by the user", "bot_blocked"),
                Arguments.of(403, "Forbidden: user is deactivated", "user_deactivated"),
                Arguments.of(403, "Forbidden: bot can't initiate conversation with a user", "conversation_not_started"),
                Arguments.of(403, "Forbidden: bot was kicked from the supergroup chat", "bot_not_member"),
                Arguments.of(400, "Bad Request: not enough rights to send text messages to the chat", "forbidden"),
                Arguments.of(403, "Forbidden: something new", "forbidden"),
                Arguments.of(401, "Unauthorized", "unauthorized"),
                Arguments.of(404, "Not Found", "unauthorized"),
                Arguments.of(400, "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 4",
                        "content_rejected"),
                Arguments.of(400, "Bad Request: message thread not found", "invalid_thread"),
                Arguments.of(400, "Bad Request: message is too long", "content_too_large"),
                Arguments.of(400, "Bad Request: failed to get HTTP URL content", "attachment_rejected"),
                Arguments.of(400, "Bad Request: something Telegram added later", "rejected_by_endpoint"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("permanentFailures")
    void telegramsRefusalsArePermanentWithTheirOwnReasonCodeAndStatus(int code, String description, String reasonCode) throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.error(code, description));
        Throwable thrown = catchThrowable(() -> client(null).send(text("hi")));

        assertThat(thrown).isInstanceOf(PermanentDeliveryException.class);
        assertThat(((PermanentDeliveryException) thrown).reasonCode()).isEqualTo(reasonCode);
        assertThat(((PermanentDeliveryException) thrown).platformStatus()).hasValue(code);
        assertThat(thrown.getMessage()).contains(description).doesNotContain(TOKEN);
    }

    @Test
    void theBotApiIsCalledOnlyThroughTheHostsAddressPolicy() throws Exception {
        PlatformClient refused = new TelegramPlatformProvider().openClient(
                new PlatformConfiguration("cfg-1", "proj-1", Map.of("botToken", TOKEN), Map.of(), false),
                TestPlatformContext.forServer(server).refusingEveryAddress());
        clients.add(refused);

        Throwable thrown = catchThrowable(() -> refused.send(text("hi")));

        assertThat(thrown).isInstanceOf(DeliveryException.class).hasRootCauseInstanceOf(RefusedAddressException.class);
        assertThat(server.requests()).as("no connection reached the Bot API server").isEmpty();
    }

    @Test
    void aRedirectIsAPermanentFailureAndIsNotFollowed() throws Exception {
        FakePlatformServer internal = FakePlatformServer.start();
        try {
            internal.stub(path("sendMessage"), FakeBotApi.sent(666));
            server.stub(path("sendMessage"), FakeResponse.status(302)
                    .withHeader("Location", internal.baseUri().resolve("/bot" + TOKEN + "/sendMessage").toString()));

            Throwable thrown = catchThrowable(() -> client(null).send(text("hi")));

            assertThat(thrown).isInstanceOf(PermanentDeliveryException.class).hasMessageContaining("302").hasMessageNotContaining("666");
            assertThat(((PermanentDeliveryException) thrown).platformStatus()).hasValue(302);
            assertThat(internal.requests()).as("the redirect was not followed").isEmpty();
        } finally {
            internal.close();
        }
    }

    @Test
    void tooManyRequestsIsRetryableAfterExactlyTelegramsRetryAfter() throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.rateLimited(5));
        Throwable thrown = catchThrowable(() -> client(null).send(text("hi")));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).hasValue(429);
    }

    @Test
    void serverErrorsAreRetryable() throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.error(500, "Internal Server Error"));
        Throwable thrown = catchThrowable(() -> client(null).send(text("hi")));
        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).hasValue(500);
    }

    @Test
    void aProxyErrorPageIsRetryable() throws Exception {
        server.stub(path("sendMessage"), FakeResponse.text(502, "<html>Bad Gateway</html>"));
        Throwable thrown = catchThrowable(() -> client(null).send(text("hi")));
        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class).hasMessageContaining("502");
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).hasValue(502);
    }

    @Test
    void aSuccessStatusWithoutABotApiAnswerIsRetryableWithThatStatus() throws Exception {
        server.stub(path("sendMessage"), FakeResponse.text(200, "<html>Sign in to the hotel wifi</html>"));
        Throwable thrown = catchThrowable(() -> client(null).send(text("hi")));
        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class).hasMessageContaining("HTTP 200 without a Bot API answer");
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).hasValue(200);
    }

    @Test
    void anUnreachableApiIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PlatformClient client = new TelegramPlatformProvider().openClient(
                new PlatformConfiguration("cfg-1", "proj-1", Map.of("botToken", TOKEN),
                        Map.of("apiBaseUrl", "http://127.0.0.1:" + closedPort), false),
                TestPlatformContext.withoutServer());
        clients.add(client);

        assertThat(client.health().state()).as("webhook registration failed").isEqualTo(HealthStatus.State.DEGRADED);
        Throwable thrown = catchThrowable(() -> client.send(text("hi")));
        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).retryAfter()).isEmpty();
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).as("nothing answered").isEmpty();
    }

    @Test
    void aRevokedTokenTakesTheClientDown() throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.error(401, "Unauthorized"));
        PlatformClient client = client(null);
        assertThat(client.health().state()).isEqualTo(HealthStatus.State.UP);
        catchThrowable(() -> client.send(text("hi")));
        assertThat(client.health().state()).isEqualTo(HealthStatus.State.DOWN);
    }

    @Test
    void aMalformedTargetIsRefusedBeforeSending() throws Exception {
        PlatformClient client = client(null);
        Throwable thrown = catchThrowable(() -> client.send(message(Target.user("not a chat"), MessageContent.text("hi"), null)));
        assertThat(((PermanentDeliveryException) thrown).reasonCode()).isEqualTo("invalid_target");
        assertThat(FakeBotApi.sends(server)).isEmpty();
    }
}
