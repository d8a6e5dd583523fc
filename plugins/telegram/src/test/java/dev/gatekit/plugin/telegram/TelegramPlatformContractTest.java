package dev.gatekit.plugin.telegram;

import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.PlatformProviderContractTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

class TelegramPlatformContractTest extends PlatformProviderContractTest {

    static final String TOKEN = "123456:AAF-test_token";

    @Override
    protected PlatformProvider provider() {
        return new TelegramPlatformProvider();
    }

    @Override
    protected PlatformConfiguration validConfiguration(FakePlatformServer server) {
        return new PlatformConfiguration("cfg-1", "proj-1", Map.of("botToken", TOKEN), Map.of(), false);
    }

    @Override
    protected Optional<PlatformConfiguration> configurationWithConcurrencyBound(FakePlatformServer server, int bound) {
        return Optional.of(new PlatformConfiguration("cfg-1", "proj-1", Map.of("botToken", TOKEN),
                Map.of("maxConcurrentRequests", Integer.toString(bound)), false));
    }

    @Override
    protected void prepareServer(FakePlatformServer server) {
        FakeBotApi.stubWebhook(server);
    }

    @Override
    protected void scriptSendSuccess(FakePlatformServer server) {
        server.stub(FakeBotApi.path("sendMessage"), FakeBotApi.sent(42));
    }

    @Override
    protected void scriptSendFailure(FakePlatformServer server, int status) {
        server.setDefaultResponse(FakeBotApi.error(status, status >= 500 ? "Internal Server Error" : "Bad Request: scripted"));
    }

    @Override
    protected void scriptRateLimited(FakePlatformServer server, Duration retryAfter) {
        server.setDefaultResponse(FakeBotApi.rateLimited((int) retryAfter.toSeconds()));
    }

    @Override
    protected WebhookRequest forgedWebhookRequest() {
        byte[] body = "{\"update_id\":1,\"message\":{\"message_id\":1,\"date\":1700000000,\"chat\":{\"id\":1,\"type\":\"private\"},\"text\":\"forged\"}}"
                .getBytes(StandardCharsets.UTF_8);
        return new WebhookRequest("POST", "/webhooks/telegram/token",
                Map.of("Content-Type", List.of("application/json"),
                        WebhookSecret.HEADER, List.of(WebhookSecret.derive("654321:not-our-bot", "cfg-1"))),
                Map.of(), body, "203.0.113.7", Instant.now());
    }

    /** An update as Telegram posts it to a registered webhook, with the secret token it was registered with. */
    @Override
    protected Optional<WebhookRequest> authenticWebhookRequest(PlatformConfiguration configuration) {
        byte[] body = ("{\"update_id\":7,\"message\":{\"message_id\":5,\"date\":1700000000,\"from\":{\"id\":99,\"is_bot\":false,"
                + "\"first_name\":\"Ada\"},\"chat\":{\"id\":99,\"type\":\"private\"},\"text\":\"hello\"}}").getBytes(StandardCharsets.UTF_8);
        return Optional.of(new WebhookRequest("POST", "/webhooks/telegram/token",
                Map.of("Content-Type", List.of("application/json"),
                        WebhookSecret.HEADER, List.of(WebhookSecret.derive(TOKEN, configuration.configurationId()))),
                Map.of(), body, "149.154.167.200", Instant.now()));
    }
}
