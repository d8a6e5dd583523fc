package dev.gatekit.plugin.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.ButtonStyle;
import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.Embed;
import dev.gatekit.plugin.api.EmbedField;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RefusedAddressException;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.SendOptions;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.TextFormat;
import dev.gatekit.plugin.discord.fake.FakeDiscord;
import dev.gatekit.plugin.discord.fake.FakeDiscord.Bot;
import dev.gatekit.plugin.discord.fake.FakeDiscord.Call;
import dev.gatekit.plugin.discord.fake.FakeDiscordGateway;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real JDA against a local Discord: what it sends for each kind of message, and how Discord's answers are mapped. */
@Timeout(90)
class DiscordSendTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String USER_ID = "80351110224678912";

    static FakeDiscord discord;
    Bot bot;
    final TestPlatformContext context = TestPlatformContext.withoutServer();
    final List<PlatformClient> clients = new ArrayList<>();

    @BeforeAll
    static void startDiscord() {
        discord = FakeDiscord.start();
    }

    @AfterAll
    static void stopDiscord() {
        discord.close();
    }

    @BeforeEach
    void newBot() {
        bot = discord.newBot();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PlatformClient::close);
    }

    static PlatformConfiguration configuration(Bot bot, Map<String, String> extraSettings) {
        Map<String, String> settings = new HashMap<>(extraSettings);
        settings.put("apiBaseUrl", discord.baseUrl());
        return new PlatformConfiguration("cfg-" + bot.id(), "proj-1", Map.of("botToken", bot.token()), settings, false);
    }

    PlatformClient open(Map<String, String> settings) throws InvalidConfigurationException {
        PlatformClient client = new DiscordPlatformProvider().openClient(configuration(bot, settings), context);
        clients.add(client);
        return client;
    }

    PlatformClient open() throws InvalidConfigurationException {
        return open(Map.of());
    }

    /** A client whose session is READY, so channels are in JDA's cache. */
    PlatformClient openReady() throws InvalidConfigurationException {
        PlatformClient client = open();
        discord.gateway().awaitSession(bot.token(), WAIT);
        return client;
    }

    static OutboundMessage message(Target target, MessageContent content) {
        return new OutboundMessage(UUID.randomUUID().toString(), target, content, null, Map.of());
    }

    static DeliveryReceipt send(PlatformClient client, OutboundMessage message) throws DeliveryException {
        CompletionStage<DeliveryReceipt> stage = client.sendAsync(message);
        try {
            return stage.toCompletableFuture().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw DeliveryException.unwrap(e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the send did not complete within " + WAIT, e);
        }
    }

    static Throwable failure(PlatformClient client, OutboundMessage message) {
        return catchThrowable(() -> send(client, message));
    }

    List<Call> posts(String channelId) {
        return discord.calls(bot, "POST", "channels/" + channelId + "/messages");
    }

    @Test
    void theGatewayAndRestAreReachedOnlyThroughTheHostsAddressPolicy() throws Exception {
        PlatformClient client = new DiscordPlatformProvider().openClient(configuration(bot, Map.of()), context.refusingEveryAddress());
        clients.add(client);

        Throwable thrown = failure(client, message(Target.user(USER_ID), MessageContent.text("hi")));

        assertThat(thrown).isInstanceOf(DeliveryException.class).hasRootCauseInstanceOf(RefusedAddressException.class);
        assertThat(discord.gateway().received()).extracting(FakeDiscordGateway.Received::token).doesNotContain(bot.token());
        assertThat(discord.calls(bot, "POST", ".*")).as("no REST call was made").isEmpty();
    }

    @Test
    void aDirectMessageOpensTheDmChannelAndPostsWithMentionsOffAndAStableNonce() throws Exception {
        PlatformClient client = open();
        OutboundMessage message = message(Target.user(USER_ID), MessageContent.text("Hello @everyone, it's <@&123456789012345678>"));

        DeliveryReceipt receipt = send(client, message);

        List<Call> calls = discord.calls(bot).stream().filter(c -> !c.route().equals("users/@me") && !c.route().equals("gateway/bot")).toList();
        assertThat(calls).extracting(Call::method, Call::route).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "users/@me/channels"),
                org.assertj.core.groups.Tuple.tuple("POST", "channels/" + discord.dmChannelId(bot, USER_ID) + "/messages"));
        assertThat(calls.get(0).json().get("recipient_id").asText()).isEqualTo(USER_ID);
        JsonNode sent = calls.get(1).json();
        assertThat(sent.get("content").asText())
                .as("escaped, the role mention is plain text; @everyone gets a zero-width space")
                .isEqualTo("Hello @\u200Beveryone, it's \\<@&123456789012345678\\>");
        assertThat(sent.at("/allowed_mentions/parse")).isEmpty();
        assertThat(sent.get("nonce").asText()).isEqualTo(DiscordPlatformClient.nonce(message.messageId(), 0)).hasSize(25);
        assertThat(sent.get("enforce_nonce").asBoolean()).isTrue();
        assertThat(calls.get(1).header("Authorization")).isEqualTo("Bot " + bot.token());
        assertThat(receipt.platformMessageIds()).hasSize(1);
        assertThat(receipt.details()).containsEntry("channelId", discord.dmChannelId(bot, USER_ID));
    }

    @Test
    void theSessionIdentifiesOnTheGatewayWithTheTokenAndIntentsAndAnswersHeartbeats() throws Exception {
        open(Map.of("intents", "GUILD_MESSAGES, DIRECT_MESSAGES"));
        discord.gateway().awaitSession(bot.token(), WAIT);
        FakeDiscordGateway gateway = discord.gateway();
        JsonNode identify = gateway.received(2).stream().filter(r -> bot.token().equals(r.token())).findFirst().orElseThrow().d();
        assertThat(identify.get("token").asText()).isEqualTo(bot.token());
        // GUILDS (1) is always there; GUILD_MESSAGES (1 << 9) and DIRECT_MESSAGES (1 << 12) as configured.
        assertThat(identify.get("intents").asInt()).isEqualTo(1 | (1 << 9) | (1 << 12));
        assertThat(gateway.connectedPaths()).anyMatch(path -> path.contains("encoding=json") && path.contains("v=10"));
        dev.gatekit.plugin.discord.fake.Poll.until(WAIT, () -> gateway.received(1).stream().anyMatch(r -> bot.token().equals(r.token())),
                "a heartbeat");
    }

    @Test
    void aChannelMessageGoesToTheCachedChannelAndAThreadToItsThread() throws Exception {
        PlatformClient client = openReady();

        DeliveryReceipt channel = send(client, message(Target.channel(bot.channelId()), MessageContent.markdown("**bold** news")));
        DeliveryReceipt thread = send(client, message(Target.thread(bot.threadId()), MessageContent.text("in the thread")));
        DeliveryReceipt viaOption = send(client, new OutboundMessage("m-3", Target.channel(bot.channelId()), MessageContent.text("also"),
                new SendOptions(null, bot.threadId(), false), Map.of()));

        assertThat(posts(bot.channelId())).singleElement().satisfies(call -> assertThat(call.json().get("content").asText()).isEqualTo("**bold** news"));
        assertThat(posts(bot.threadId())).hasSize(2);
        assertThat(channel.details()).containsEntry("channelId", bot.channelId());
        assertThat(thread.details()).containsEntry("channelId", bot.threadId());
        assertThat(viaOption.details()).containsEntry("channelId", bot.threadId());
    }

    @Test
    void plainTextIsEscapedAndMarkdownIsNotButMentionsAreNeutralizedInBoth() throws Exception {
        PlatformClient client = openReady();
        send(client, message(Target.channel(bot.channelId()), MessageContent.text("*not bold* see https://example.com/a_b_c")));
        send(client, new OutboundMessage("m-2", Target.channel(bot.channelId()), MessageContent.markdown("hi <@80351110224678912> @here"),
                null, Map.of(DiscordMessages.ALLOWED_MENTIONS, "users")));

        List<Call> calls = posts(bot.channelId());
        assertThat(calls.get(0).json().get("content").asText()).isEqualTo("\\*not bold\\* see https://example.com/a_b_c");
        assertThat(calls.get(1).json().get("content").asText()).isEqualTo("hi <@80351110224678912> @\u200Bhere");
        assertThat(calls.get(1).json().at("/allowed_mentions/parse")).extracting(JsonNode::asText).containsExactly("users");
    }

    @Test
    void textBeyondTwoThousandCharactersIsSplitAtParagraphsIntoOrderedMessages() throws Exception {
        PlatformClient client = openReady();
        String first = "a".repeat(1500);
        String second = "b".repeat(1500);
        String third = "c".repeat(100);
        OutboundMessage message = message(Target.channel(bot.channelId()),
                new MessageContent(first + "\n\n" + second + "\n\n" + third, TextFormat.MARKDOWN, null,
                        List.of(Button.action("OK", "ok")), null));

        DeliveryReceipt receipt = send(client, message);

        List<Call> calls = posts(bot.channelId());
        assertThat(calls).extracting(call -> call.json().get("content").asText()).containsExactly(first, second + "\n\n" + third);
        assertThat(calls.get(0).json().has("components") && calls.get(0).json().get("components").size() > 0).isFalse();
        assertThat(calls.get(1).json().get("components")).hasSize(1);
        assertThat(calls).extracting(call -> call.json().get("nonce").asText())
                .containsExactly(DiscordPlatformClient.nonce(message.messageId(), 0), DiscordPlatformClient.nonce(message.messageId(), 1));
        assertThat(receipt.platformMessageIds()).hasSize(2).doesNotHaveDuplicates();
        assertThat(receipt.details()).containsEntry("messageCount", "2");
    }

    @Test
    void embedsButtonsRepliesAndSilentSendsAreDiscordsFields() throws Exception {
        PlatformClient client = openReady();
        Embed embed = new Embed("Deploy", "All **green**", 0x00FF00, URI.create("https://ci.example.com/1"),
                URI.create("https://ci.example.com/i.png"), null, "CI", "build 7",
                List.of(new EmbedField("Duration", "3m", true)), Instant.parse("2026-01-02T03:04:05Z"));
        MessageContent content = new MessageContent("Deployed", TextFormat.PLAIN, null,
                List.of(new Button("Approve", "approve:42", null, ButtonStyle.SUCCESS), new Button("Reject", "reject:42", null, ButtonStyle.DANGER),
                        Button.link("Open", URI.create("https://ci.example.com/1"))), List.of(embed));
        String replyTo = FakeDiscord.snowflake();

        send(client, new OutboundMessage("m-1", Target.channel(bot.channelId()), content, new SendOptions(replyTo, null, true), Map.of()));

        JsonNode sent = posts(bot.channelId()).get(0).json();
        assertThat(sent.get("content").asText()).isEqualTo("Deployed");
        assertThat(sent.get("flags").asInt() & (1 << 12)).as("SUPPRESS_NOTIFICATIONS").isNotZero();
        assertThat(sent.at("/message_reference/message_id").asText()).isEqualTo(replyTo);
        assertThat(sent.at("/allowed_mentions/replied_user").asBoolean(true)).isFalse();
        JsonNode sentEmbed = sent.get("embeds").get(0);
        assertThat(sentEmbed.get("title").asText()).isEqualTo("Deploy");
        assertThat(sentEmbed.get("description").asText()).isEqualTo("All **green**");
        assertThat(sentEmbed.get("color").asInt()).isEqualTo(0x00FF00);
        assertThat(sentEmbed.get("url").asText()).isEqualTo("https://ci.example.com/1");
        assertThat(sentEmbed.at("/image/url").asText()).isEqualTo("https://ci.example.com/i.png");
        assertThat(sentEmbed.at("/author/name").asText()).isEqualTo("CI");
        assertThat(sentEmbed.at("/footer/text").asText()).isEqualTo("build 7");
        assertThat(sentEmbed.at("/fields/0/name").asText()).isEqualTo("Duration");
        assertThat(sentEmbed.at("/fields/0/inline").asBoolean()).isTrue();
        assertThat(Instant.parse(sentEmbed.get("timestamp").asText().replace("+00:00", "Z"))).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        JsonNode row = sent.get("components").get(0);
        assertThat(row.get("type").asInt()).isEqualTo(1);
        assertThat(row.get("components")).hasSize(3);
        assertThat(row.at("/components/0/type").asInt()).isEqualTo(2);
        assertThat(row.at("/components/0/style").asInt()).isEqualTo(3);
        assertThat(row.at("/components/0/custom_id").asText()).isEqualTo("approve:42");
        assertThat(row.at("/components/0/label").asText()).isEqualTo("Approve");
        assertThat(row.at("/components/1/style").asInt()).isEqualTo(4);
        assertThat(row.at("/components/2/style").asInt()).isEqualTo(5);
        assertThat(row.at("/components/2/url").asText()).isEqualTo("https://ci.example.com/1");
    }

    @Test
    void attachmentsByBytesAndByUrlAreUploadedAsFiles() throws Exception {
        PlatformClient client;
        try (FakePlatformServer files = FakePlatformServer.start()) {
            files.stub("/report.csv", FakeResponse.text(200, "a,b\n1,2\n").withHeader("Content-Type", "text/csv"));
            client = open(Map.of("attachmentsFromPrivateAddresses", "true"));
            discord.gateway().awaitSession(bot.token(), WAIT);
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF};
            MessageContent content = new MessageContent("Files", TextFormat.PLAIN, List.of(
                    new Attachment(null, png, "chart.png", "image/png", "the chart"),
                    Attachment.fromUrl(files.baseUri().resolve("report.csv"), null, "text/csv")), null, null);

            send(client, message(Target.channel(bot.channelId()), content));
        }

        Call call = posts(bot.channelId()).get(0);
        assertThat(call.header("Content-Type")).startsWith("multipart/form-data");
        assertThat(call.files()).extracting(FakeDiscord.Upload::filename).containsExactly("chart.png", "report.csv");
        assertThat(call.files().get(0).data()).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF});
        assertThat(new String(call.files().get(1).data(), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
        assertThat(call.json().get("content").asText()).isEqualTo("Files");
        assertThat(call.json().at("/attachments/0/description").asText()).isEqualTo("the chart");
    }

    @Test
    void anAttachmentUrlOnAPrivateAddressIsRefusedUnlessAllowed() throws Exception {
        PlatformClient client = open();
        Throwable thrown = failure(client, message(Target.user(USER_ID), new MessageContent("x", TextFormat.PLAIN,
                List.of(Attachment.fromUrl(URI.create("http://127.0.0.1:9/secret"), null, null)), null, null)));
        assertThat(thrown).isInstanceOf(PermanentDeliveryException.class);
        assertThat(((PermanentDeliveryException) thrown).reasonCode()).isEqualTo("blocked_address");
    }

    @Test
    void aLongRateLimitSurfacesAsRetryableWithDiscordsRetryAfterAndAShortOneIsWaitedOut() throws Exception {
        PlatformClient client = open();
        String dm = "channels/" + discord.dmChannelId(bot, USER_ID) + "/messages";
        discord.failNext("POST", dm, FakeDiscord.rateLimited(7.0, false));

        Throwable thrown = failure(client, message(Target.user(USER_ID), MessageContent.text("too fast")));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).hasValue(429);
        // The route stays blocked: the next send fails at once with what is left of the wait.
        Throwable next = failure(client, message(Target.user(USER_ID), MessageContent.text("still too fast")));
        assertThat(((RetryableDeliveryException) next).retryAfter()).hasValueSatisfying(left ->
                assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(7)));
        assertThat(discord.calls(bot, "POST", dm)).hasSize(1);

        Bot other = bot;
        bot = discord.newBot();
        PlatformClient second = open();
        String otherDm = "channels/" + discord.dmChannelId(bot, USER_ID) + "/messages";
        discord.failNext("POST", otherDm, FakeDiscord.rateLimited(0.5, false));
        DeliveryReceipt receipt = send(second, message(Target.user(USER_ID), MessageContent.text("after half a second")));
        assertThat(receipt.platformMessageIds()).hasSize(1);
        assertThat(discord.calls(bot, "POST", otherDm)).hasSize(2);
        assertThat(other).isNotEqualTo(bot);
    }

    @Test
    void discordsErrorsBecomeTypedFailures() throws Exception {
        PlatformClient client = openReady();
        String channel = "channels/" + bot.channelId() + "/messages";
        OutboundMessage message = message(Target.channel(bot.channelId()), MessageContent.text("x"));

        discord.failNext("POST", channel, FakeDiscord.error(500, 0, "500: Internal Server Error"));
        Throwable serverError = failure(client, message);
        assertThat(serverError).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) serverError).platformStatus()).hasValue(500);

        assertReason(client, message, channel, FakeDiscord.error(404, 10003, "Unknown Channel"), DiscordFailures.UNKNOWN_CHANNEL, 404);
        assertReason(client, message, channel, FakeDiscord.error(403, 50001, "Missing Access"), DiscordFailures.MISSING_ACCESS, 403);
        assertReason(client, message, channel, FakeDiscord.error(403, 50013, "Missing Permissions"), DiscordFailures.MISSING_PERMISSIONS, 403);
        assertReason(client, message, channel, FakeDiscord.error(401, 0, "401: Unauthorized"), ReasonCodes.UNAUTHORIZED, 401);
        assertReason(client, message, channel, FakeDiscord.error(404, 10008, "Unknown Message"), DiscordFailures.UNKNOWN_MESSAGE, 404);
        PermanentDeliveryException form = assertReason(client, message, channel,
                FakeDiscord.invalidFormBody("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."),
                DiscordFailures.INVALID_FORM_BODY, 400);
        assertThat(form.getMessage()).contains("content").contains("BASE_TYPE_MAX_LENGTH");

        OutboundMessage dm = message(Target.user(USER_ID), MessageContent.text("x"));
        assertReason(client, dm, "channels/\\d+/messages", FakeDiscord.error(403, 50007, "Cannot send messages to this user"),
                DiscordFailures.CANNOT_DM_USER, 403);
        assertReason(client, dm, "users/@me/channels", FakeDiscord.error(400, 10013, "Unknown User"), DiscordFailures.UNKNOWN_USER, 400);
    }

    private static PermanentDeliveryException assertReason(PlatformClient client, OutboundMessage message, String route,
                                                           FakeResponse answer, String reason, int status) {
        discord.failNext("POST", route, answer);
        Throwable thrown = failure(client, message);
        assertThat(thrown).as(reason).isInstanceOf(PermanentDeliveryException.class);
        assertThat(((PermanentDeliveryException) thrown).reasonCode()).isEqualTo(reason);
        assertThat(((PermanentDeliveryException) thrown).platformStatus()).as(reason).hasValue(status);
        return (PermanentDeliveryException) thrown;
    }

    @Test
    void aChannelTheBotCannotSendInOrDoesNotKnowFailsWithoutACall() throws Exception {
        PlatformClient client = openReady();
        Throwable readOnly = failure(client, message(Target.channel(bot.readOnlyChannelId()), MessageContent.text("x")));
        Throwable unknown = failure(client, message(Target.channel(FakeDiscord.snowflake()), MessageContent.text("x")));
        Throwable notAnId = failure(client, message(Target.channel("general"), MessageContent.text("x")));

        assertThat(((PermanentDeliveryException) readOnly).reasonCode()).isEqualTo(DiscordFailures.MISSING_PERMISSIONS);
        assertThat(((PermanentDeliveryException) readOnly).platformStatus()).as("JDA refused it; Discord was not asked").isEmpty();
        assertThat(((PermanentDeliveryException) unknown).reasonCode()).isEqualTo(DiscordFailures.UNKNOWN_CHANNEL);
        assertThat(((PermanentDeliveryException) notAnId).reasonCode()).isEqualTo(ReasonCodes.INVALID_TARGET);
        assertThat(discord.calls(bot, "POST", "channels/.*")).isEmpty();
    }

    @Test
    void aRefusedTokenIsAnInvalidConfigurationNamingTheTokenAndAPermanentFailureOnSend() throws Exception {
        PlatformConfiguration good = configuration(bot, Map.of());
        new DiscordPlatformProvider().validateCredentials(good, context);

        PlatformConfiguration bad = new PlatformConfiguration("cfg-x", "proj-1",
                Map.of("botToken", "MTIzNDU2Nzg5MDEyMzQ1Njc4.GkTest.notarealtokenatallnotatall"), good.settings(), false);
        Throwable refused = catchThrowable(() -> new DiscordPlatformProvider().validateCredentials(bad, context));
        assertThat(refused).isInstanceOf(InvalidConfigurationException.class);
        assertThat(((InvalidConfigurationException) refused).field()).isEqualTo("botToken");
        assertThat(refused.getMessage()).contains("401: Unauthorized").doesNotContain("notarealtoken");

        PlatformClient client = new DiscordPlatformProvider().openClient(bad, context);
        clients.add(client);
        Throwable thrown = failure(client, message(Target.user(USER_ID), MessageContent.text("x")));
        assertThat(thrown).isInstanceOf(PermanentDeliveryException.class).hasMessageContaining("token");
        assertThat(((PermanentDeliveryException) thrown).reasonCode()).isEqualTo(ReasonCodes.UNAUTHORIZED);
        assertThat(((PermanentDeliveryException) thrown).platformStatus()).hasValue(401);
        assertThat(client.health().state()).isEqualTo(dev.gatekit.plugin.api.HealthStatus.State.DOWN);
    }

    @Test
    void malformedSettingsAreRefusedByName() {
        for (Map.Entry<String, String> setting : Map.of("intents", "GUILD_MESAGES", "guildId", "my-guild",
                "attachmentsFromPrivateAddresses", "yes").entrySet()) {
            Throwable thrown = catchThrowable(() -> open(Map.of(setting.getKey(), setting.getValue())));
            assertThat(thrown).isInstanceOf(InvalidConfigurationException.class);
            assertThat(((InvalidConfigurationException) thrown).field()).isEqualTo(setting.getKey());
        }
        Throwable key = catchThrowable(() -> new DiscordPlatformProvider().openClient(new PlatformConfiguration("c", "p",
                Map.of("botToken", bot.token(), "applicationPublicKey", "xyz"), Map.of(), false), context));
        assertThat(((InvalidConfigurationException) key).field()).isEqualTo("applicationPublicKey");
    }

    @Test
    void closingShutsJdaDownAndReleasesItsThreads() throws Exception {
        PlatformClient client = openReady();
        send(client, message(Target.channel(bot.channelId()), MessageContent.text("before closing")));
        client.close();
        client.close();

        assertThat(client.health().state()).isEqualTo(dev.gatekit.plugin.api.HealthStatus.State.DOWN);
        dev.gatekit.plugin.discord.fake.Poll.until(WAIT, () -> discord.gateway().sessions(bot.token()) == 0, "the gateway session closed");
        Throwable closed = failure(client, message(Target.channel(bot.channelId()), MessageContent.text("after")));
        assertThat(closed).isInstanceOf(RetryableDeliveryException.class);
    }
}
