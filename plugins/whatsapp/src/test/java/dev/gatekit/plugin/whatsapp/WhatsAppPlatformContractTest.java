package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.PlatformProviderContractTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

class WhatsAppPlatformContractTest extends PlatformProviderContractTest {

    @Override
    protected PlatformProvider provider() {
        return new WhatsAppPlatformProvider();
    }

    @Override
    protected PlatformConfiguration validConfiguration(FakePlatformServer server) {
        return FakeGraphApi.configuration(Map.of());
    }

    @Override
    protected OutboundMessage sampleMessage() {
        return new OutboundMessage("msg-contract", Target.user("+14155550123"), MessageContent.text("hello from the contract test"),
                null, Map.of());
    }

    @Override
    protected void scriptSendSuccess(FakePlatformServer server) {
        server.stub(FakeGraphApi.MESSAGES, FakeGraphApi.sent("wamid.CONTRACT", "14155550123"));
    }

    /** Meta's own error object for each status, as the Graph API answers it. */
    @Override
    protected void scriptSendFailure(FakePlatformServer server, int status) {
        server.setDefaultResponse(switch (status) {
            case 401 -> FakeGraphApi.error(401, 190, "Invalid OAuth access token - Cannot parse access token");
            case 403 -> FakeGraphApi.error(403, 10, "(#10) Application does not have permission for this action");
            case 404 -> FakeGraphApi.error(404, 132001, "(#132001) Template name does not exist in the translation");
            case 400 -> FakeGraphApi.error(400, 131009, "(#131009) Parameter value is not valid");
            default -> FakeGraphApi.error(status, 131000, "Something went wrong");
        });
    }

    @Override
    protected void scriptRateLimited(FakePlatformServer server, Duration retryAfter) {
        server.setDefaultResponse(FakeGraphApi.error(429, 130429, "(#130429) Rate limit hit")
                .withHeader("Retry-After", Long.toString(retryAfter.toSeconds())));
    }

    @Override
    protected WebhookRequest forgedWebhookRequest() {
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
                + "\"value\":{\"messages\":[{\"from\":\"14155550123\",\"id\":\"wamid.FORGED\",\"timestamp\":\"1763632800\","
                + "\"type\":\"text\",\"text\":{\"body\":\"forged\"}}]}}]}]}").getBytes(StandardCharsets.UTF_8);
        return new WebhookRequest("POST", "/webhooks/whatsapp/token",
                Map.of("Content-Type", List.of("application/json"),
                        "X-Hub-Signature-256", List.of(HubSignature.sign("not-the-app-secret", body))),
                Map.of(), body, "203.0.113.7", Instant.now());
    }

    /** A text message notification signed with the app secret, as Meta posts it. */
    @Override
    protected Optional<WebhookRequest> authenticWebhookRequest(PlatformConfiguration configuration) {
        try {
            return Optional.of(WhatsAppInboundTest.signed(WhatsAppInboundTest.inbound("\"type\":\"text\",\"text\":{\"body\":\"hello\"}")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
