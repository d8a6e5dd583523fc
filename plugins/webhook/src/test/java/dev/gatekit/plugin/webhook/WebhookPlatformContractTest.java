package dev.gatekit.plugin.webhook;

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

class WebhookPlatformContractTest extends PlatformProviderContractTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Override
    protected PlatformProvider provider() {
        return new WebhookPlatformProvider();
    }

    @Override
    protected PlatformConfiguration validConfiguration(FakePlatformServer server) {
        return new PlatformConfiguration("cfg-1", "proj-1", Map.of("signingSecret", SECRET),
                Map.of("url", server.baseUri().resolve("hook").toString()), false);
    }

    @Override
    protected Optional<PlatformConfiguration> configurationWithConcurrencyBound(FakePlatformServer server, int bound) {
        return Optional.of(new PlatformConfiguration("cfg-1", "proj-1", Map.of("signingSecret", SECRET),
                Map.of("url", server.baseUri().resolve("hook").toString(), "maxConcurrentRequests", Integer.toString(bound)),
                false));
    }

    @Override
    protected Optional<PlatformConfiguration> configurationWithTimeout(FakePlatformServer server, Duration timeout) {
        return Optional.of(new PlatformConfiguration("cfg-1", "proj-1", Map.of("signingSecret", SECRET),
                Map.of("url", server.baseUri().resolve("hook").toString(), "timeoutSeconds", Long.toString(timeout.toSeconds())),
                false));
    }

    @Override
    protected Optional<WebhookRequest> authenticWebhookRequest(PlatformConfiguration configuration) {
        byte[] body = "{\"type\":\"message\",\"id\":\"e1\",\"chatId\":\"c1\",\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
        long now = context.clock().instant().getEpochSecond();
        return Optional.of(new WebhookRequest("POST", "/webhooks/webhook/token",
                Map.of(WebhookSignature.TIMESTAMP_HEADER, List.of(Long.toString(now)),
                        WebhookSignature.SIGNATURE_HEADER, List.of(WebhookSignature.sign(configuration.credentials().get("signingSecret"), now, body))),
                Map.of(), body, "203.0.113.7", context.clock().instant()));
    }

    @Override
    protected WebhookRequest forgedWebhookRequest() {
        byte[] body = "{\"id\":\"e1\",\"chatId\":\"c1\",\"text\":\"forged\"}".getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        return new WebhookRequest("POST", "/webhooks/webhook/token",
                Map.of(WebhookSignature.TIMESTAMP_HEADER, List.of(Long.toString(now)),
                        WebhookSignature.SIGNATURE_HEADER, List.of(WebhookSignature.sign("not-the-secret-at-all", now, body))),
                Map.of(), body, "203.0.113.7", Instant.now());
    }
}
