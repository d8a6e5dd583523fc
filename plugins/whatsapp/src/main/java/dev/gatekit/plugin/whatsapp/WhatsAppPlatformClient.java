package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformContext;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One WhatsApp business phone number: sends through the Cloud API without holding a thread
 * ({@link #sendAsync}: uploads, then messages, chained on the HTTP client's completions), and
 * answers Meta's webhook (the verification handshake, then signed notifications).
 */
final class WhatsAppPlatformClient implements PlatformClient {

    private final WhatsAppSettings settings;
    private final PlatformContext context;
    private final GraphApi api;
    private volatile boolean closed;
    private volatile HealthStatus health = HealthStatus.up();

    WhatsAppPlatformClient(WhatsAppSettings settings, PlatformContext context, String pluginVersion) {
        this.settings = settings;
        this.context = context;
        this.api = new GraphApi(settings, context.httpClient(), context.clock(), pluginVersion);
    }

    @Override
    public CompletionStage<DeliveryReceipt> sendAsync(OutboundMessage message) {
        if (closed) {
            return CompletableFuture.failedFuture(new RetryableDeliveryException("WhatsApp client is closed"));
        }
        List<WhatsAppMessages.Part> parts;
        try {
            parts = WhatsAppMessages.plan(message, settings.listButtonText());
        } catch (PermanentDeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
        // One after the other, so the recipient sees them in order; each completion starts the next call.
        CompletableFuture<List<GraphApi.Sent>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (WhatsAppMessages.Part part : parts) {
            chain = chain.thenCompose(sent -> mediaId(part)
                    .thenCompose(mediaId -> api.sendMessage(part.body().apply(mediaId)))
                    .thenApply(one -> {
                        sent.add(one);
                        return sent;
                    }));
        }
        return chain.handle((sent, failure) -> {
            if (failure != null) {
                DeliveryException typed = DeliveryException.unwrap(failure);
                if (typed instanceof PermanentDeliveryException permanent && permanent.reasonCode().equals(ReasonCodes.UNAUTHORIZED)) {
                    health = HealthStatus.down("WhatsApp refused the access token");
                }
                throw new CompletionException(typed);
            }
            health = HealthStatus.up();
            return receipt(sent);
        });
    }

    private CompletableFuture<String> mediaId(WhatsAppMessages.Part part) {
        if (part.upload() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return api.uploadMedia(part.upload().data(), MediaKind.mimeType(part.upload()),
                MediaKind.filename(part.upload()).orElse("file"));
    }

    private static DeliveryReceipt receipt(List<GraphApi.Sent> sent) {
        Map<String, String> details = new LinkedHashMap<>();
        sent.stream().map(GraphApi.Sent::waId).filter(id -> id != null).findFirst().ifPresent(waId -> details.put("waId", waId));
        return new DeliveryReceipt(sent.stream().map(GraphApi.Sent::messageId).toList(), details);
    }

    /** Used by the provider to validate a configuration. */
    Map<String, Object> readPhoneNumber() throws DeliveryException {
        try {
            return api.readPhoneNumber().join();
        } catch (CompletionException e) {
            throw DeliveryException.unwrap(e);
        }
    }

    @Override
    public WebhookResult handleWebhook(WebhookRequest request) {
        if ("GET".equalsIgnoreCase(request.method())) {
            return verificationHandshake(request);
        }
        if (!"POST".equalsIgnoreCase(request.method())) {
            return WebhookResult.rejected(405, "only GET (verification) and POST (notifications) are accepted");
        }
        String signature = request.header(HubSignature.HEADER).orElse(null);
        if (signature == null) {
            return WebhookResult.rejected(401, "missing " + HubSignature.HEADER);
        }
        byte[] body = request.body();
        if (!HubSignature.verify(settings.appSecret(), body, signature)) {
            return WebhookResult.rejected(401, "wrong " + HubSignature.HEADER);
        }
        List<InboundEvent> events;
        try {
            events = WhatsAppNotifications.events(body, request.receivedAt());
        } catch (IllegalArgumentException e) {
            // Signed by Meta yet unreadable: answering an error would only make Meta resend it.
            context.logger().warn("Ignored a signed WhatsApp notification that is not a JSON object ({} bytes)", body.length);
            return WebhookResult.accepted(List.of());
        }
        return WebhookResult.accepted(events);
    }

    /** Meta's {@code GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...}: echo the challenge when the token matches. */
    private WebhookResult verificationHandshake(WebhookRequest request) {
        String mode = request.queryParameter("hub.mode").orElse("");
        String token = request.queryParameter("hub.verify_token").orElse("");
        String challenge = request.queryParameter("hub.challenge").orElse(null);
        boolean tokenMatches = MessageDigest.isEqual(settings.verifyToken().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
        if (!mode.equals("subscribe") || !tokenMatches) {
            return WebhookResult.rejected(403, "verification failed");
        }
        if (challenge == null) {
            return WebhookResult.rejected(400, "missing hub.challenge");
        }
        return WebhookResult.reply(200, "text/plain; charset=utf-8", challenge.getBytes(StandardCharsets.UTF_8), List.of());
    }

    @Override
    public HealthStatus health() {
        return closed ? HealthStatus.down("closed") : health;
    }

    @Override
    public void close() {
        // The HTTP client belongs to the host: there is no thread or connection of our own to release.
        closed = true;
    }
}
