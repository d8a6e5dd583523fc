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
import dev.gatekit.plugin.api.InFlightLimit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends messages as signed JSON to one configured URL and accepts signed JSON events back. Sends
 * are asynchronous and at most {@link WebhookSettings#maxConcurrentRequests()} are in flight at
 * once; the rest wait in a queue without a thread. Safe for concurrent use.
 */
final class WebhookClient implements PlatformClient {

    /** How far an inbound timestamp may be from the clock, either way, before it counts as a replay. */
    static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    private final WebhookSettings settings;
    private final PlatformContext context;
    private final String userAgent;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InFlightLimit inFlight;

    WebhookClient(WebhookSettings settings, PlatformContext context, String pluginVersion) {
        this.settings = settings;
        this.context = context;
        this.userAgent = "GateKit-Webhook/" + pluginVersion;
        this.inFlight = new InFlightLimit(settings.maxConcurrentRequests(), WebhookClient::closedFailure);
    }

    /**
     * Posts the message without blocking: the request goes out on the host's {@code HttpClient}
     * as soon as fewer than {@link WebhookSettings#maxConcurrentRequests()} of this client's
     * requests are in flight, and is signed when it goes out (so time spent waiting does not age the
     * signature's timestamp). {@code send} is the API's default: this, joined.
     */
    @Override
    public CompletionStage<DeliveryReceipt> sendAsync(OutboundMessage message) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedFailure());
        }
        return inFlight.submit(() -> post(message));
    }

    private CompletableFuture<DeliveryReceipt> post(OutboundMessage message) {
        HttpRequest request;
        try {
            request = request(message);
        } catch (PermanentDeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<DeliveryReceipt> outcome = new CompletableFuture<>();
        context.httpClient().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
            try {
                if (failure != null) {
                    throw transportFailure(failure);
                }
                outcome.complete(receiptOrFailure(message, response));
            } catch (RetryableDeliveryException | PermanentDeliveryException | RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        });
        return outcome;
    }

    private HttpRequest request(OutboundMessage message) throws PermanentDeliveryException {
        Instant now = context.clock().instant();
        long timestamp = now.getEpochSecond();
        byte[] body;
        try {
            body = WebhookPayloads.outbound(message, now);
        } catch (IOException e) {
            throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED, "message cannot be written as JSON", e);
        }
        return HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(settings.signingSecret(), timestamp, body))
                .header(WebhookSignature.MESSAGE_ID_HEADER, message.messageId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** What the HTTP client failed with, as a delivery failure; a runtime exception is a bug and stays one. */
    private RetryableDeliveryException transportFailure(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof HttpTimeoutException) {
            return new RetryableDeliveryException("endpoint did not answer within " + settings.timeout(), cause);
        }
        if (cause instanceof IOException) {
            return new RetryableDeliveryException("cannot reach endpoint: " + cause.getMessage(), cause);
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RetryableDeliveryException("sending failed: " + cause, cause);
    }

    private static RetryableDeliveryException closedFailure() {
        return new RetryableDeliveryException("webhook client is closed");
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
            throw new RetryableDeliveryException(failure, retryAfter.orElse(null), null, status);
        }
        String reason = switch (status) {
            case 401, 403 -> ReasonCodes.UNAUTHORIZED;
            case 404, 410 -> ReasonCodes.INVALID_TARGET;
            case 413 -> ReasonCodes.CONTENT_TOO_LARGE;
            default -> ReasonCodes.REJECTED_BY_ENDPOINT;
        };
        throw new PermanentDeliveryException(reason, failure, null, status);
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
            return WebhookResult.rejected(401, "invalid X-GateKit-Timestamp: must be unix seconds");
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
        // The HTTP client belongs to the host, and waiting sends hold no thread: failing them is all.
        closed.set(true);
        inFlight.close();
    }
}
