package dev.gatekit.plugin.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.MessageReceived;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import dev.gatekit.plugin.discord.fake.FakeDiscord;
import dev.gatekit.plugin.discord.fake.FakeDiscord.Bot;
import dev.gatekit.plugin.discord.fake.InteractionSigner;
import dev.gatekit.plugin.discord.fake.Interactions;
import dev.gatekit.plugin.discord.fake.Poll;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Messages, edits and interactions from the gateway, and Discord's signed requests to the interactions endpoint. */
@Timeout(90)
class DiscordInboundTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    static FakeDiscord discord;
    final InteractionSigner signer = new InteractionSigner();
    final List<PlatformClient> clients = new ArrayList<>();
    Bot bot;
    TestPlatformContext context;

    @BeforeAll
    static void startDiscord() {
        discord = FakeDiscord.start();
    }

    @AfterAll
    static void stopDiscord() {
        discord.close();
    }

    @BeforeEach
    void setUp() {
        bot = discord.newBot();
        context = TestPlatformContext.withoutServer();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PlatformClient::close);
    }

    PlatformClient open(TestPlatformContext given, Map<String, String> extraSettings) throws Exception {
        Map<String, String> settings = new HashMap<>(extraSettings);
        settings.put("apiBaseUrl", discord.baseUrl());
        PlatformClient client = new DiscordPlatformProvider().openClient(new PlatformConfiguration("cfg-" + bot.id(), "proj-1",
                Map.of("botToken", bot.token(), "applicationPublicKey", signer.publicKeyHex()), settings, false), given);
        clients.add(client);
        return client;
    }

    PlatformClient connected() throws Exception {
        PlatformClient client = open(context, Map.of());
        discord.gateway().awaitSession(bot.token(), WAIT);
        return client;
    }

    ObjectNode person(String id, String name) {
        return FakeDiscord.user(id, name, false);
    }

    @Test
    void aGuildMessageAndADirectMessageFromTheGatewayArePublishedWithDiscordsIds() throws Exception {
        connected();
        String guildMessageId = FakeDiscord.snowflake();
        ObjectNode inGuild = FakeDiscord.message(guildMessageId, bot.channelId(), bot.guildId(), person("80351110224678912", "ada"), "hello bot");
        inGuild.withObject("/member").put("nick", "Ada L.");
        ObjectNode attachment = inGuild.withArray("attachments").addObject().put("id", "1100000000000000001").put("filename", "a.png")
                .put("size", 120).put("url", "https://cdn.discordapp.com/attachments/1/2/a.png")
                .put("proxy_url", "https://media.discordapp.net/attachments/1/2/a.png").put("content_type", "image/png");
        assertThat(attachment).isNotNull();
        String replyTo = FakeDiscord.snowflake();
        inGuild.putObject("message_reference").put("message_id", replyTo).put("channel_id", bot.channelId()).put("guild_id", bot.guildId())
                .put("type", 0);
        List<String> sent = discord.gateway().dispatch(bot.token(), "MESSAGE_CREATE", inGuild);
        String dmChannel = FakeDiscord.snowflake();
        String dmId = FakeDiscord.snowflake();
        discord.gateway().dispatch(bot.token(), "MESSAGE_CREATE", FakeDiscord.message(dmId, dmChannel, null, person("80351110224678913", "grace"), "psst"));

        List<InboundEvent> events = context.awaitEvents(2, WAIT);

        MessageReceived guild = (MessageReceived) events.get(0);
        assertThat(guild.eventId()).isEqualTo("message:" + guildMessageId);
        assertThat(guild.platformMessageId()).isEqualTo(guildMessageId);
        assertThat(guild.chatId()).isEqualTo(bot.channelId());
        assertThat(guild.threadId()).isNull();
        assertThat(guild.senderId()).isEqualTo("80351110224678912");
        assertThat(guild.senderName()).isEqualTo("Ada L.");
        assertThat(guild.text()).isEqualTo("hello bot");
        assertThat(guild.replyToId()).isEqualTo(replyTo);
        assertThat(guild.receivedAt()).isEqualTo(FakeDiscord.snowflakeTime(guildMessageId));
        assertThat(guild.attachments()).singleElement().satisfies(file -> {
            assertThat(file.platformFileId()).isEqualTo("1100000000000000001");
            assertThat(file.filename()).isEqualTo("a.png");
            assertThat(file.mimeType()).isEqualTo("image/png");
            assertThat(file.sizeBytes()).isEqualTo(120L);
        });
        assertThat(JSON.readTree(guild.rawPayload()).get("t").asText()).isEqualTo("MESSAGE_CREATE");
        assertThat(JSON.readTree(guild.rawPayload()).at("/d/id").asText()).isEqualTo(JSON.readTree(sent.get(0)).at("/d/id").asText());
        MessageReceived dm = (MessageReceived) events.get(1);
        assertThat(dm.eventId()).isEqualTo("message:" + dmId);
        assertThat(dm.chatId()).isEqualTo(dmChannel);
        assertThat(dm.senderName()).isEqualTo("Grace");
    }

    @Test
    void threadMessagesCarryTheirThreadAndEditsAreNewEventsOfTheSameMessage() throws Exception {
        connected();
        String id = FakeDiscord.snowflake();
        discord.gateway().dispatch(bot.token(), "MESSAGE_CREATE", FakeDiscord.message(id, bot.threadId(), bot.guildId(), person("80351110224678912", "ada"), "first"));
        ObjectNode edited = FakeDiscord.message(id, bot.threadId(), bot.guildId(), person("80351110224678912", "ada"), "first, edited");
        edited.put("edited_timestamp", "2026-06-01T12:00:01.000Z");
        discord.gateway().dispatch(bot.token(), "MESSAGE_UPDATE", edited);

        List<InboundEvent> events = context.awaitEvents(2, WAIT);

        MessageReceived created = (MessageReceived) events.get(0);
        assertThat(created.chatId()).isEqualTo(bot.channelId());
        assertThat(created.threadId()).isEqualTo(bot.threadId());
        MessageReceived edit = (MessageReceived) events.get(1);
        assertThat(edit.eventId()).isEqualTo("message_edit:" + id + ":" + Instant.parse("2026-06-01T12:00:01Z").toEpochMilli());
        assertThat(edit.platformMessageId()).isEqualTo(id);
        assertThat(created.editOf()).isNull();
        assertThat(edit.editOf()).isEqualTo(id);
        assertThat(edit.text()).isEqualTo("first, edited");
        assertThat(JSON.readTree(edit.rawPayload()).get("t").asText()).isEqualTo("MESSAGE_UPDATE");
    }

    @Test
    void theBotsOwnMessagesOtherBotsAndOtherGuildsAreNotPublished() throws Exception {
        open(context, Map.of("guildId", bot.guildId()));
        discord.gateway().awaitSession(bot.token(), WAIT);
        discord.gateway().dispatch(bot.token(), "MESSAGE_CREATE",
                FakeDiscord.message(FakeDiscord.snowflake(), bot.channelId(), bot.guildId(), FakeDiscord.user(bot.id(), bot.username(), true), "mine"));
        discord.gateway().dispatch(bot.token(), "MESSAGE_CREATE",
                FakeDiscord.message(FakeDiscord.snowflake(), bot.channelId(), bot.guildId(), FakeDiscord.user("80351110224678999", "otherbot", true), "beep"));
        String last = FakeDiscord.snowflake();
        discord.gateway().dispatch(bot.token(), "MESSAGE_CREATE",
                FakeDiscord.message(last, bot.channelId(), bot.guildId(), person("80351110224678912", "ada"), "the only one"));

        List<InboundEvent> events = context.awaitEvents(1, WAIT);
        assertThat(events).singleElement().extracting(InboundEvent::eventId).isEqualTo("message:" + last);
    }

    @Test
    void aButtonPressAndASlashCommandOverTheGatewayArePublishedAndAcknowledged() throws Exception {
        connected();
        ObjectNode press = Interactions.buttonPress(bot.id(), bot.guildId(), bot.channelId(), FakeDiscord.snowflake(), "80351110224678912", "approve:42");
        ObjectNode command = Interactions.slashCommand(bot.id(), bot.guildId(), bot.channelId(), "80351110224678912");
        discord.gateway().dispatch(bot.token(), "INTERACTION_CREATE", press);
        discord.gateway().dispatch(bot.token(), "INTERACTION_CREATE", command);

        List<InboundEvent> events = context.awaitEvents(2, WAIT);

        InteractionReceived button = (InteractionReceived) events.get(0);
        assertThat(button.kind()).isEqualTo(InteractionReceived.Kind.BUTTON);
        assertThat(button.value()).isEqualTo("approve:42");
        assertThat(button.eventId()).isEqualTo("interaction:" + press.get("id").asText());
        assertThat(button.userId()).isEqualTo("80351110224678912");
        assertThat(button.userName()).isEqualTo("Ada L.");
        assertThat(button.chatId()).isEqualTo(bot.channelId());
        assertThat(button.platformMessageId()).isEqualTo(press.at("/message/id").asText());
        InteractionReceived slash = (InteractionReceived) events.get(1);
        assertThat(slash.kind()).isEqualTo(InteractionReceived.Kind.COMMAND);
        assertThat(slash.value()).isEqualTo("/ops deploy service:api");

        List<FakeDiscord.Call> callbacks = discord.awaitCalls(bot, "POST", "interactions/\\d+/[^/]+/callback", 2, WAIT);
        JsonNode deferred = callbacks.stream().filter(c -> c.route().startsWith("interactions/" + press.get("id").asText())).findFirst().orElseThrow().json();
        assertThat(deferred.get("type").asInt()).isEqualTo(6);
        JsonNode replied = callbacks.stream().filter(c -> c.route().startsWith("interactions/" + command.get("id").asText())).findFirst().orElseThrow().json();
        assertThat(replied.get("type").asInt()).isEqualTo(4);
        assertThat(replied.at("/data/content").asText()).isEqualTo("Received.");
        assertThat(replied.at("/data/flags").asInt() & 64).as("ephemeral").isEqualTo(64);
    }

    WebhookRequest signed(String body, Instant at) {
        return new WebhookRequest("POST", "/webhooks/discord/token", signer.headers(body, at), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), "203.0.113.7", NOW);
    }

    @Test
    void theInteractionsEndpointAnswersAPingWithAPong() throws Exception {
        PlatformClient client = open(context.withClock(Clock.fixed(NOW, ZoneOffset.UTC)), Map.of());
        WebhookResult result = client.handleWebhook(signed(Interactions.ping(bot.id()).toString(), NOW));

        assertThat(result.authentic()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(result.contentType()).isEqualTo("application/json");
        assertThat(JSON.readTree(result.responseBody()).get("type").asInt()).isEqualTo(1);
        assertThat(result.events()).isEmpty();
    }

    @Test
    void aSignedCommandAndButtonPressAreAcknowledgedAndReturnedAsEvents() throws Exception {
        PlatformClient client = open(context.withClock(Clock.fixed(NOW, ZoneOffset.UTC)), Map.of("commandReply", "On it."));
        ObjectNode command = Interactions.slashCommand(bot.id(), bot.guildId(), bot.channelId(), "80351110224678912");
        ObjectNode press = Interactions.buttonPress(bot.id(), null, "1200000000000000001", FakeDiscord.snowflake(), "80351110224678913", "ok");

        WebhookResult commandResult = client.handleWebhook(signed(command.toString(), NOW.minusSeconds(30)));
        WebhookResult pressResult = client.handleWebhook(signed(press.toString(), NOW));

        JsonNode answer = JSON.readTree(commandResult.responseBody());
        assertThat(answer.get("type").asInt()).isEqualTo(4);
        assertThat(answer.at("/data/content").asText()).isEqualTo("On it.");
        assertThat(answer.at("/data/flags").asInt()).isEqualTo(64);
        assertThat(commandResult.events()).singleElement().isInstanceOfSatisfying(InteractionReceived.class, event -> {
            assertThat(event.kind()).isEqualTo(InteractionReceived.Kind.COMMAND);
            assertThat(event.value()).isEqualTo("/ops deploy service:api");
            assertThat(event.eventId()).isEqualTo("interaction:" + command.get("id").asText());
            assertThat(event.rawPayload()).isEqualTo(command.toString());
        });
        assertThat(JSON.readTree(pressResult.responseBody()).get("type").asInt()).isEqualTo(6);
        assertThat(pressResult.events()).singleElement().isInstanceOfSatisfying(InteractionReceived.class, event -> {
            assertThat(event.kind()).isEqualTo(InteractionReceived.Kind.BUTTON);
            assertThat(event.value()).isEqualTo("ok");
            assertThat(event.userId()).isEqualTo("80351110224678913");
            assertThat(event.userName()).isEqualTo("Ada");
            assertThat(event.chatId()).isEqualTo("1200000000000000001");
        });
        assertThat(context.publishedEvents()).as("webhook events go back to the host, not to the sink").isEmpty();
    }

    @Test
    void forgedStaleUnsignedAndTamperedRequestsAreRefused() throws Exception {
        PlatformClient client = open(context.withClock(Clock.fixed(NOW, ZoneOffset.UTC)), Map.of());
        String body = Interactions.ping(bot.id()).toString();
        InteractionSigner forger = new InteractionSigner();
        WebhookRequest forged = new WebhookRequest("POST", "/w", forger.headers(body, NOW), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), null, NOW);
        WebhookRequest stale = signed(body, NOW.minus(Duration.ofMinutes(6)));
        WebhookRequest future = signed(body, NOW.plus(Duration.ofMinutes(6)));
        WebhookRequest unsigned = new WebhookRequest("POST", "/w", Map.of("Content-Type", List.of("application/json")), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), null, NOW);
        WebhookRequest genuine = signed(body, NOW);
        WebhookRequest tampered = new WebhookRequest("POST", "/w", genuine.headers(), Map.of(),
                body.replace("\"type\":1", "\"type\":2").getBytes(StandardCharsets.UTF_8), null, NOW);

        for (WebhookRequest request : List.of(forged, stale, future, unsigned, tampered)) {
            WebhookResult result = client.handleWebhook(request);
            assertThat(result.authentic()).isFalse();
            assertThat(result.httpStatus()).isEqualTo(401);
            assertThat(result.events()).isEmpty();
        }
        assertThat(client.handleWebhook(genuine).httpStatus()).isEqualTo(200);
        assertThat(client.handleWebhook(signed("{not json", NOW)).httpStatus()).isEqualTo(400);
    }

    @Test
    void withoutAPublicKeyNoInteractionIsAccepted() throws Exception {
        PlatformClient client = new DiscordPlatformProvider().openClient(new PlatformConfiguration("c", "p",
                Map.of("botToken", bot.token()), Map.of("apiBaseUrl", discord.baseUrl()), false), context);
        clients.add(client);
        assertThat(client.handleWebhook(signed(Interactions.ping(bot.id()).toString(), Instant.now())).httpStatus()).isEqualTo(401);
    }

    @Test
    void twoSessionsOfOneBotPublishTheSameEventIdsSoTheHostStoresEachOnce() throws Exception {
        TestPlatformContext second = TestPlatformContext.withoutServer();
        open(context, Map.of());
        open(second, Map.of());
        Poll.until(WAIT, () -> discord.gateway().sessions(bot.token()) == 2, "two sessions");
        String id = FakeDiscord.snowflake();
        discord.gateway().dispatch(bot.token(), "MESSAGE_CREATE",
                FakeDiscord.message(id, bot.channelId(), bot.guildId(), person("80351110224678912", "ada"), "once"));

        assertThat(context.awaitEvents(1, WAIT).get(0).eventId()).isEqualTo("message:" + id);
        assertThat(second.awaitEvents(1, WAIT).get(0).eventId()).isEqualTo("message:" + id);
    }
}
