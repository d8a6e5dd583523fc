package dev.gatekit.plugin.slack;

import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.PlatformProviderContractTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

class SlackPlatformContractTest extends PlatformProviderContractTest {

    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    @Override
    protected PlatformProvider provider() {
        return new SlackPlatformProvider();
    }

    @Override
    protected PlatformConfiguration validConfiguration(FakePlatformServer server) {
        return new PlatformConfiguration("cfg-1", "proj-1",
                Map.of("botToken", FakeSlackApi.TOKEN, "signingSecret", SIGNING_SECRET), Map.of(), false);
    }

    @Override
    protected Optional<PlatformConfiguration> configurationWithConcurrencyBound(FakePlatformServer server, int bound) {
        return Optional.of(new PlatformConfiguration("cfg-1", "proj-1",
                Map.of("botToken", FakeSlackApi.TOKEN, "signingSecret", SIGNING_SECRET),
                Map.of("maxConcurrentRequests", Integer.toString(bound)), false));
    }

    @Override
    protected void prepareServer(FakePlatformServer server) {
        server.stub(FakeSlackApi.path("auth.test"), FakeSlackApi.authTest());
    }

    @Override
    protected void scriptSendSuccess(FakePlatformServer server) {
        server.stub(FakeSlackApi.path("conversations.open"), FakeSlackApi.opened("D0001"));
        server.stub(FakeSlackApi.path("chat.postMessage"), FakeSlackApi.posted("C0001", "1700000000.000100"));
    }

    @Override
    protected void scriptSendFailure(FakePlatformServer server, int status) {
        String error = switch (status) {
            case 401 -> "invalid_auth";
            case 403 -> "restricted_action";
            case 404 -> "channel_not_found";
            case 400 -> "invalid_arguments";
            default -> "internal_error";
        };
        server.setDefaultResponse(FakeResponse.json(status, "{\"ok\":false,\"error\":\"" + error + "\"}"));
    }

    @Override
    protected void scriptRateLimited(FakePlatformServer server, Duration retryAfter) {
        server.setDefaultResponse(FakeSlackApi.rateLimited((int) retryAfter.toSeconds()));
    }

    @Override
    protected WebhookRequest forgedWebhookRequest() {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        byte[] body = "{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"forged\",\"ts\":\"1.1\"}}"
                .getBytes(StandardCharsets.UTF_8);
        return new WebhookRequest("POST", "/webhooks/slack/token",
                Map.of("Content-Type", List.of("application/json"),
                        "X-Slack-Request-Timestamp", List.of(timestamp),
                        "X-Slack-Signature", List.of(SlackSignature.sign("not-the-signing-secret", timestamp, body))),
                Map.of(), body, "203.0.113.7", Instant.now());
    }

    /** An Events API callback signed with the configuration's signing secret, as Slack signs it. */
    @Override
    protected Optional<WebhookRequest> authenticWebhookRequest(PlatformConfiguration configuration) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        byte[] body = "{\"type\":\"event_callback\",\"event_id\":\"Ev7\",\"event\":{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"hello\",\"ts\":\"1700000000.000100\"}}"
                .getBytes(StandardCharsets.UTF_8);
        return Optional.of(new WebhookRequest("POST", "/webhooks/slack/token",
                Map.of("Content-Type", List.of("application/json"),
                        "X-Slack-Request-Timestamp", List.of(timestamp),
                        "X-Slack-Signature", List.of(SlackSignature.sign(SIGNING_SECRET, timestamp, body))),
                Map.of(), body, "54.1.2.3", Instant.now()));
    }
}
