package dev.gatekit.app.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.plugin.discord.fake.FakeDiscord;
import dev.gatekit.plugin.discord.fake.FakeDiscord.Bot;
import dev.gatekit.plugin.discord.fake.FakeDiscord.Call;
import dev.gatekit.plugin.discord.fake.InteractionSigner;
import dev.gatekit.plugin.discord.fake.Interactions;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built discord plugin jar in the real application (Postgres, Redis, the queue), talking to a
 * local Discord: its JDA session starts when the configuration is created, messages go through the
 * queue to Discord's REST API, gateway messages and signed interactions are stored once.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DiscordEndToEndTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final FakeDiscord DISCORD = FakeDiscord.start();
    static final InteractionSigner SIGNER = new InteractionSigner();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + pluginsWithDiscord(), "plugins.pollIntervalMillis=200",
            "queue.workers=2", "queue.maxAttempts=3", "queue.baseRetryDelayMillis=100", "queue.maxRetryDelaySeconds=1",
            "queue.sweepIntervalMillis=500", "queue.staleAfterSeconds=2", "queue.leaseSeconds=10");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Poll.until(DEADLINE, () -> api.get("/api/v1/platforms/supported", admin).text().contains("\"discord\""));
    }

    @AfterAll
    static void tearDown() {
        DISCORD.close();
    }

    private static Path pluginsWithDiscord() {
        try {
            Path dir = Files.createTempDirectory("gatekit-discord-");
            Files.copy(Path.of(System.getProperty("gatekit.test.discordPluginJar")), dir.resolve("discord-plugin.jar"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String platforms(String slug) {
        return "/api/v1/projects/" + slug + "/platforms";
    }

    private static Reply configure(String slug, String token) {
        return api.post(platforms(slug), admin, Map.of("platform", "discord",
                "credentials", Map.of("botToken", token, "applicationPublicKey", SIGNER.publicKeyHex()),
                "config", Map.of("apiBaseUrl", DISCORD.baseUrl())));
    }

    /** A new project with a discord configuration for the bot; returns its slug. */
    private static String projectWithBot(Bot bot) {
        String slug = api.createProject(admin, "Discord");
        Reply configured = configure(slug, bot.token());
        assertThat(configured.status()).as(configured.toString()).isEqualTo(201);
        return slug;
    }

    private static String send(String slug, String type, String id, Map<String, Object> content) {
        Reply reply = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                Map.of("platform", "discord", "target", Map.of("type", type, "id", id), "content", content));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        return reply.json().get("jobId").asText();
    }

    private static List<JsonNode> inbound(String slug) {
        Reply reply = api.get("/api/v1/projects/" + slug + "/messages?direction=inbound", admin);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("messages").forEach(items::add);
        return items;
    }

    @Test
    void creatingTheConfigurationStartsItsGatewaySessionAndAMessageGoesThroughTheQueueToTheChannel() {
        Bot bot = DISCORD.newBot();
        String slug = projectWithBot(bot);
        assertThat(DISCORD.calls(bot, "GET", "users/@me")).as("the token was checked with Discord").isNotEmpty();

        // No message was sent yet: the session is open because the configuration exists.
        DISCORD.gateway().awaitSession(bot.token(), DEADLINE);
        String jobId = send(slug, "channel", bot.channelId(), Map.of("markdown", "Deployed **v2**",
                "buttons", List.of(Map.of("text", "Roll back", "value", "rollback:v2"))));
        JsonNode status = Messaging.awaitFinal(api, admin, slug, jobId, DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("delivered");
        List<Call> posts = DISCORD.calls(bot, "POST", "channels/" + bot.channelId() + "/messages");
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).json().get("content").asText()).isEqualTo("Deployed **v2**");
        assertThat(posts.get(0).json().at("/components/0/components/0/custom_id").asText()).isEqualTo("rollback:v2");
        assertThat(posts.get(0).json().at("/allowed_mentions/parse")).isEmpty();
        assertThat(status.at("/targets/0/platformMessageIds")).hasSize(1);
    }

    @Test
    void reloadingThePluginStartsTheSessionsOfExistingConfigurationsAgain() {
        Bot bot = DISCORD.newBot();
        projectWithBot(bot);
        DISCORD.gateway().awaitSession(bot.token(), DEADLINE);
        long identified = identifies(bot);

        api.adminTask("reload-plugin", "id=discord");

        Poll.until(DEADLINE, () -> identifies(bot) > identified && DISCORD.gateway().sessions(bot.token()) == 1);
    }

    private static long identifies(Bot bot) {
        return DISCORD.gateway().received(2).stream().filter(r -> bot.token().equals(r.token())).count();
    }

    @Test
    void aDirectMessageTheUserRefusesFailsAtOnceWithThePluginsReason() {
        Bot bot = DISCORD.newBot();
        String slug = projectWithBot(bot);
        DISCORD.failNext("POST", "channels/\\d+/messages", FakeDiscord.error(403, 50007, "Cannot send messages to this user"));

        JsonNode status = Messaging.awaitFinal(api, admin, slug, send(slug, "user", "80351110224678912", Map.of("text", "hi")), DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("failed");
        assertThat(status.at("/targets/0/reasonCode").asText()).isEqualTo("cannot_dm_user");
        assertThat(status.at("/targets/0/attempts").asInt()).isEqualTo(1);
        assertThat(DISCORD.calls(bot, "POST", "users/@me/channels")).hasSize(1);
    }

    @Test
    void aTokenDiscordRefusesIsA422NamingTheToken() {
        String slug = api.createProject(admin, "Discord");
        Reply refused = configure(slug, "MTIzNDU2Nzg5MDEyMzQ1Njc4.GkTest.not-a-token-discord-knows-at-all");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.text()).contains("credentials.botToken").contains("401: Unauthorized").doesNotContain("not-a-token");
    }

    @Test
    void aGatewayMessageIsStoredOnceWhateverNumberOfTimesItArrives() {
        Bot bot = DISCORD.newBot();
        String slug = projectWithBot(bot);
        DISCORD.gateway().awaitSession(bot.token(), DEADLINE);
        String id = FakeDiscord.snowflake();
        ObjectNode message = FakeDiscord.message(id, bot.channelId(), bot.guildId(), FakeDiscord.user("80351110224678912", "ada", false),
                "hello from Discord");

        // As a second GateKit instance's session would receive it too.
        DISCORD.gateway().dispatch(bot.token(), "MESSAGE_CREATE", message);
        DISCORD.gateway().dispatch(bot.token(), "MESSAGE_CREATE", message);
        Poll.until(DEADLINE, () -> !inbound(slug).isEmpty());
        String later = FakeDiscord.snowflake();
        DISCORD.gateway().dispatch(bot.token(), "MESSAGE_CREATE", FakeDiscord.message(later, bot.channelId(), bot.guildId(),
                FakeDiscord.user("80351110224678912", "ada", false), "and again"));
        Poll.until(DEADLINE, () -> inbound(slug).size() >= 2);

        List<JsonNode> items = inbound(slug);
        assertThat(items).extracting(item -> item.get("platformEventId").asText())
                .containsExactlyInAnyOrder("message:" + id, "message:" + later);
        JsonNode first = items.stream().filter(item -> item.get("platformEventId").asText().equals("message:" + id)).findFirst().orElseThrow();
        assertThat(first.get("kind").asText()).isEqualTo("message");
        assertThat(first.get("platform").asText()).isEqualTo("discord");
        assertThat(first.get("text").asText()).isEqualTo("hello from Discord");
        assertThat(first.get("chatId").asText()).isEqualTo(bot.channelId());
        assertThat(first.get("platformMessageId").asText()).isEqualTo(id);
    }

    @Test
    void aSignedInteractionAtTheWebhookUrlIsAnsweredAndStoredAndAForgedOneIsRefused() {
        Bot bot = DISCORD.newBot();
        String slug = projectWithBot(bot);
        String webhookPath = URI.create(api.get(platforms(slug) + "/discord/webhook", admin).json().get("webhookUrl").asText()).getPath();
        String ping = Interactions.ping(bot.id()).toString();
        ObjectNode command = Interactions.slashCommand(bot.id(), bot.guildId(), bot.channelId(), "80351110224678912");

        Reply forged = post(webhookPath, command.toString(), new InteractionSigner());
        Reply pong = post(webhookPath, ping, SIGNER);
        Reply acknowledged = post(webhookPath, command.toString(), SIGNER);

        assertThat(forged.status()).as(forged.toString()).isEqualTo(401);
        assertThat(pong.status()).as(pong.toString()).isEqualTo(200);
        assertThat(pong.json().get("type").asInt()).isEqualTo(1);
        assertThat(acknowledged.status()).as(acknowledged.toString()).isEqualTo(200);
        assertThat(acknowledged.json().get("type").asInt()).isEqualTo(4);
        assertThat(acknowledged.json().at("/data/flags").asInt()).isEqualTo(64);
        List<JsonNode> items = inbound(slug);
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.get("kind").asText()).isEqualTo("interaction");
            assertThat(item.get("interaction").asText()).isEqualTo("command");
            assertThat(item.get("value").asText()).isEqualTo("/ops deploy service:api");
            assertThat(item.get("platformEventId").asText()).isEqualTo("interaction:" + command.get("id").asText());
        });
    }

    private static Reply post(String path, String body, InteractionSigner signer) {
        HttpRequest.Builder request = api.request(path, null).POST(HttpRequest.BodyPublishers.ofString(body));
        signer.headers(body, Instant.now()).forEach((name, values) -> request.header(name, values.get(0)));
        return api.send(request);
    }
}
