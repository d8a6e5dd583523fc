package dev.gatekit.plugin.webhook;

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
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends messages as signed JSON to one configured URL and accepts signed JSON events back.
 * Stateless apart from the closed flag, so safe for concurrent sends.
 */
final class WebhookClient implements PlatformClient {

    /** How far an inbound timestamp may be from the clock, either way, before it counts as a replay. */
    static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    private final WebhookSettings settings;
    private final PlatformContext context;
    private final String userAgent;
    private final AtomicBoolean closed = new AtomicBoolean();

    WebhookClient(WebhookSettings settings, PlatformContext context, String pluginVersion) {
        this.settings = settings;
        this.context = context;
        this.userAgent = "GateKit-Webhook/" + pluginVersion;
    }

    @Override
    public DeliveryReceipt send(OutboundMessage message)
            throws RetryableDeliveryException, PermanentDeliveryException {
        if (closed.get()) {
            throw new RetryableDeliveryException("webhook client is closed");
        }
        Instant now = context.clock().instant();
        long timestamp = now.getEpochSecond();
        byte[] body;
        try {
            body = WebhookPayloads.outbound(message, now);
        } catch (IOException e) {
            throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED, "message cannot be written as JSON", e);
        }
        HttpRequest request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(settings.signingSecret(), timestamp, body))
                .header(WebhookSignature.MESSAGE_ID_HEADER, message.messageId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = context.httpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new RetryableDeliveryException("endpoint did not answer within " + settings.timeout(), e);
        } catch (IOException e) {
            throw new RetryableDeliveryException("cannot reach endpoint: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryException("interrupted while sending", e);
        }
        return receiptOrFailure(message, response);
    }

    private DeliveryReceipt receiptOrFailure(OutboundMessage message, HttpResponse<byte[]> response)
            throws RetryableDeliveryException, PermanentDeliveryException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            String id = WebhookPayloads.replyId(response.body()).orElse(message.messageId());
            return new DeliveryReceipt(List.of(id), Map.of("httpStatus", Integer.toString(status)));
        }
        Optional<Duration> retryAfter = RetryAfter.parse(
                response.headers().firstValue("Retry-After").orElse(null), context.clock().instant());
        String failure = "endpoint answered HTTP " + status;
        if (status == 429 || status == 408 || status >= 500) {
            throw new RetryableDeliveryException(failure, retryAfter.orElse(null), null);
        }
        switch (status) {
            case 401, 403 -> throw new PermanentDeliveryException(ReasonCodes.UNAUTHORIZED, failure);
            case 404, 410 -> throw new PermanentDeliveryException(ReasonCodes.INVALID_TARGET, failure);
            case 413 -> throw new PermanentDeliveryException(ReasonCodes.CONTENT_TOO_LARGE, failure);
            default -> throw new PermanentDeliveryException(ReasonCodes.REJECTED_BY_ENDPOINT, failure);
        }
    }

    @Override
    public WebhookResult handleWebhook(WebhookRequest request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            return WebhookResult.rejected(405, "only POST is accepted");
        }
        Optional<String> timestampHeader = request.header(WebhookSignature.TIMESTAMP_HEADER);
        Optional<String> signatureHeader = request.header(WebhookSignature.SIGNATURE_HEADER);
        if (timestampHeader.isEmpty() || signatureHeader.isEmpty()) {
            return WebhookResult.rejected(401, "missing signature");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.get().trim());
        } catch (NumberFormatException e) {
            return WebhookResult.rejected(401, "invalid timestamp");
        }
        byte[] body = request.body();
        if (!WebhookSignature.verify(settings.signingSecret(), timestamp, body, signatureHeader.get())) {
            return WebhookResult.rejected(401, "invalid signature");
        }
        long skew = Math.abs(context.clock().instant().getEpochSecond() - timestamp);
        if (skew > REPLAY_WINDOW.toSeconds()) {
            return WebhookResult.rejected(401, "stale timestamp");
        }
        InboundEvent event;
        try {
            event = WebhookPayloads.inbound(request.bodyAsString(), request.receivedAt());
        } catch (WebhookPayloads.MalformedPayloadException e) {
            return WebhookResult.rejected(400, e.getMessage());
        }
        return WebhookResult.accepted(List.of(event));
    }

    @Override
    public HealthStatus health() {
        return closed.get() ? HealthStatus.down("closed") : HealthStatus.up();
    }

    @Override
    public void close() {
        // The HTTP client belongs to the host; there is nothing else to release.
        closed.set(true);
    }
}
