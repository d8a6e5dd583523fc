package dev.gatekit.app.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.FakeBotApi;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The telegram plugin's Bot API client cannot be led into the gateway's network: it follows no
 * redirect, and its connections go through the host's address policy when they open, on the paths
 * that skip the send-time check too ({@code configurationRemoved}).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TelegramAddressPolicyTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String SECRET = "internal-secret-answer";
    static final FakeBotApi BOT_API = new FakeBotApi();
    /** Stands for an internal service (a metadata endpoint, an admin port) that answers like the Bot API. */
    static final FakePlatformServer INTERNAL = FakePlatformServer.start().setDefaultResponse(FakeResponse.json(200,
            "{\"ok\":true,\"result\":{\"id\":1,\"is_bot\":true,\"first_name\":\"" + SECRET + "\",\"username\":\"" + SECRET
                    + "\",\"message_id\":666,\"date\":1,\"chat\":{\"id\":1,\"type\":\"private\"}}}"));
    static final FakePlatformServer REDIRECTOR = FakePlatformServer.start();
    /** The tests' platforms listen on 127.0.0.1, so this instance allows private addresses: only "no redirects" protects it. */
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + TelegramEndToEndTest.pluginsWithTelegram(), "plugins.pollIntervalMillis=200",
            "queue.workers=2", "queue.maxAttempts=3", "queue.baseRetryDelayMillis=100", "queue.maxRetryDelaySeconds=1");
    /** The production default, on the same database; it delivers nothing (no workers). */
    static final DropwizardAppExtension<GateKitConfiguration> STRICT = TestApp.extension(
            "plugins.directory=" + TelegramEndToEndTest.pluginsWithTelegram(), "plugins.pollIntervalMillis=200",
            "plugins.allowPrivateAddresses=false", "queue.workers=0");
    static Api api;
    static Api strict;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        strict = TestApp.api(STRICT);
        admin = api.mintAdminKey();
        Poll.until(DEADLINE, () -> api.get("/api/v1/platforms/supported", admin).text().contains("\"telegram\"")
                && strict.get("/api/v1/platforms/supported", admin).text().contains("\"telegram\""));
    }

    @AfterAll
    static void tearDown() {
        BOT_API.close();
        INTERNAL.close();
        REDIRECTOR.close();
    }

    private static Reply configure(Api through, String slug, String token, String apiBaseUrl) {
        return through.post("/api/v1/projects/" + slug + "/platforms", admin, Map.of("platform", "telegram",
                "credentials", Map.of("botToken", token), "config", Map.of("apiBaseUrl", apiBaseUrl)));
    }

    private static FakeResponse redirectToInternal(String token, String method) {
        return FakeResponse.status(302).withHeader("Location", INTERNAL.baseUri().resolve("/bot" + token + "/" + method).toString());
    }

    @Test
    void aBotApiUrlThatRedirectsInsideIsRefusedOnValidateWithoutSayingWhatAnswered() {
        String token = TelegramEndToEndTest.newBotToken();
        String slug = api.createProject(admin, "Redirected");
        REDIRECTOR.stub("/bot.+/getMe", redirectToInternal(token, "getMe"));

        Reply refused = configure(api, slug, token, REDIRECTOR.baseUri().toString());

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().at("/error/details/0/field").asText()).isEqualTo("credentials.botToken");
        assertThat(refused.text()).doesNotContain(SECRET).doesNotContain(INTERNAL.baseUri().getAuthority()).doesNotContain(token);
        assertThat(REDIRECTOR.requests()).isNotEmpty();
        assertThat(INTERNAL.requests()).as("the redirect was not followed").isEmpty();
    }

    @Test
    void aSendThatIsRedirectedInsideFailsAndReachesNothingThere() {
        String token = TelegramEndToEndTest.newBotToken();
        String slug = api.createProject(admin, "Redirected send");
        assertThat(configure(api, slug, token, BOT_API.baseUrl()).status()).isEqualTo(201);
        BOT_API.enqueue(token, "sendMessage", redirectToInternal(token, "sendMessage"));

        Reply accepted = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                Map.of("platform", "telegram", "target", Map.of("type", "user", "id", "5550100"), "text", "to the metadata service?"));
        JsonNode status = Messaging.awaitFinal(api, admin, slug, accepted.json().get("jobId").asText(), DEADLINE);

        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("failed");
        assertThat(status.toString()).doesNotContain(SECRET).doesNotContain("666");
        assertThat(BOT_API.calls(token, "sendMessage")).hasSize(1);
        assertThat(INTERNAL.requests()).as("the redirect was not followed").isEmpty();
    }

    @Test
    void aNameThatResolvesToLoopbackWhenTheConnectionOpensIsRefusedOnPathsWithoutTheSendTimeCheck() {
        String token = TelegramEndToEndTest.newBotToken();
        String slug = api.createProject(admin, "Rebound");
        // Saved where private addresses are allowed; to the strict instance the name now means loopback, as after DNS rebinding.
        String byName = "http://localhost:" + URI.create(BOT_API.baseUrl()).getPort();
        assertThat(configure(api, slug, token, byName).status()).isEqualTo(201);
        // The permissive instance registers the new configuration's webhook on its own (WEBHOOK_REGISTRATION): count after it.
        Poll.until(DEADLINE, () -> !BOT_API.calls(token, "setWebhook").isEmpty());
        int callsBefore = BOT_API.calls(token).size();
        String webhookPath = URI.create(api.get("/api/v1/projects/" + slug + "/platforms/telegram/webhook", admin)
                .json().get("webhookUrl").asText()).getPath();

        // An inbound update opens the strict instance's client, which registers the webhook with the Bot API.
        Reply update = strict.send(strict.request(webhookPath, null).header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", "whatever").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"update_id\":920001,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"text\":\"hi\"}}")));
        Reply deleted = strict.delete("/api/v1/projects/" + slug + "/platforms/telegram", admin);

        assertThat(update.status()).as(update.toString()).isEqualTo(401);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(BOT_API.calls(token)).as("neither opening the client nor configurationRemoved reached the loopback address")
                .hasSize(callsBefore);
    }
}
