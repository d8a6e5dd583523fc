package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.discord.fake.FakeDiscord;
import dev.gatekit.plugin.discord.fake.FakeDiscordGateway;
import dev.gatekit.plugin.discord.fake.InteractionSigner;
import dev.gatekit.plugin.discord.fake.Interactions;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.PlatformProviderContractTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The testkit's contract suite, with Discord's wire format: the testkit's fake server answers the REST
 * API under {@code /api/v10/}, {@code gateway/bot} names a local gateway, and failures come in Discord's
 * error shape.
 */
class DiscordPlatformContractTest extends PlatformProviderContractTest {

    static final String TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GkTest.contract-test-token-0000000000";
    static final String BOT_ID = "1234567890123456789";
    static final InteractionSigner SIGNER = new InteractionSigner();
    static FakeDiscordGateway gateway;

    @BeforeAll
    static void startGateway() {
        gateway = new FakeDiscordGateway(token -> FakeDiscord.user(BOT_ID, "gatekit", true), token -> List.of());
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Override
    protected PlatformProvider provider() {
        return new DiscordPlatformProvider();
    }

    @Override
    protected PlatformConfiguration validConfiguration(FakePlatformServer server) {
        return new PlatformConfiguration("cfg-1", "proj-1", Map.of("botToken", TOKEN, "applicationPublicKey", SIGNER.publicKeyHex()),
                Map.of(), false);
    }

    @Override
    protected void prepareServer(FakePlatformServer server) {
        server.stub("/api/v10/users/@me", json(FakeDiscord.user(BOT_ID, "gatekit", true).toString()));
        server.stub("/api/v10/gateway/bot", json("{\"url\":\"" + gateway.url() + "\",\"shards\":1,\"session_start_limit\":"
                + "{\"total\":1000,\"remaining\":999,\"reset_after\":14400000,\"max_concurrency\":1}}"));
    }

    @Override
    protected void scriptSendSuccess(FakePlatformServer server) {
        server.stub("/api/v10/users/@me/channels", json("{\"id\":\"1200000000000000001\",\"type\":1,\"last_message_id\":null,\"flags\":0,"
                + "\"recipients\":[" + FakeDiscord.user("12345", "ada", false) + "]}"));
        server.stub("/api/v10/channels/\\d+/messages", json(FakeDiscord.message("1200000000000000002", "1200000000000000001", null,
                FakeDiscord.user(BOT_ID, "gatekit", true), "hello from the GateKit contract test").toString()));
    }

    @Override
    protected void scriptSendFailure(FakePlatformServer server, int status) {
        server.setDefaultResponse(switch (status) {
            case 400 -> FakeDiscord.invalidFormBody("content", "BASE_TYPE_REQUIRED", "This field is required");
            case 401 -> FakeDiscord.error(401, 0, "401: Unauthorized");
            case 403 -> FakeDiscord.error(403, 50007, "Cannot send messages to this user");
            case 404 -> FakeDiscord.error(404, 10013, "Unknown User");
            default -> FakeDiscord.error(status, 0, status + ": Internal Server Error");
        });
    }

    @Override
    protected void scriptRateLimited(FakePlatformServer server, Duration retryAfter) {
        server.setDefaultResponse(FakeDiscord.rateLimited(retryAfter.toMillis() / 1000.0, false));
    }

    @Override
    protected WebhookRequest forgedWebhookRequest() {
        String body = Interactions.ping(BOT_ID).toString();
        return new WebhookRequest("POST", "/webhooks/discord/token", new InteractionSigner().headers(body, Instant.now()), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), "203.0.113.7", Instant.now());
    }

    private static FakeResponse json(String body) {
        return FakeResponse.json(200, body).withHeader("Via", "1.1 google");
    }
}
