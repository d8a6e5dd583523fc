package dev.gatekit.plugin.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A connection to a platform for one platform configuration, opened by
 * {@link PlatformProvider#openClient}.
 *
 * <p>The host calls {@link #send} from several worker threads at once, so a client must be
 * thread-safe. It calls {@link #close()} exactly when it no longer needs the client, after the
 * in-flight sends have finished; a client must release every thread and connection it holds there,
 * or the plugin's class loader cannot be unloaded.
 *
 * <p>A client implements one of the two send methods. {@link #send} is the simple one: the host
 * calls it on a thread of its own, which waits while the platform answers. {@link #sendAsync} lets
 * a client whose HTTP library is asynchronous deliver without holding a thread per message; the
 * host sees that a client overrides it and then calls only {@code sendAsync}, from a thread that
 * must never block.
 */
public interface PlatformClient extends AutoCloseable {

    /**
     * Delivers one message to the platform.
     *
     * <p>The host has already checked the message against the descriptor's capabilities, so
     * content the platform cannot carry never reaches this method. Delivery is at-least-once: the
     * host may call {@code send} again with the same {@link OutboundMessage#messageId()} after a
     * crash, so pass it to the platform as an idempotency key where the platform has one.
     *
     * @param message the message to deliver
     * @return the platform's id(s) for what was created
     * @throws RetryableDeliveryException for transient failures (network errors, 5xx, rate
     *                                    limits); carry the platform's retry-after when it gave one
     * @throws PermanentDeliveryException when retrying cannot help (bad target, refused content,
     *                                    revoked credentials); carry a {@link ReasonCodes} code
     * @throws DeliveryException          never any other subclass
     */
    default DeliveryReceipt send(OutboundMessage message) throws DeliveryException {
        try {
            return sendAsync(message).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw DeliveryException.unwrap(e.getCause());
        }
    }

    /**
     * Delivers one message without blocking the calling thread: returns at once and completes the
     * stage when the platform has answered.
     *
     * <p>The same contract as {@link #send}: the stage completes with the receipt, or exceptionally
     * with a {@link RetryableDeliveryException} or {@link PermanentDeliveryException} (a
     * {@link CompletionException} around one is unwrapped). Never block in this method, not even to
     * resolve a host name or open a connection: the host calls it from a thread that serves every
     * configuration. The host gives up on a stage that has not completed within its send timeout
     * and treats it as a retryable failure.
     *
     * <p>The default runs {@link #send} on the calling thread, for clients that only implement that.
     *
     * @param message the message to deliver
     * @return the platform's id(s) for what was created, when the platform has answered
     * @since 1.1.0
     */
    default CompletionStage<DeliveryReceipt> sendAsync(OutboundMessage message) {
        try {
            return CompletableFuture.completedFuture(send(message));
        } catch (DeliveryException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Handles one HTTP request the platform sent to this configuration's webhook URL
     * ({@link PlatformContext#webhookUrl()}): verifies that it is authentic, parses it into events
     * and says what to answer. The host publishes the returned events and writes the returned
     * status, content type and body as the HTTP response.
     *
     * <p>Never throw for a malformed or forged request: return
     * {@link WebhookResult#rejected(int, String)} instead. The default, for platforms without
     * webhooks, rejects every request with 404.
     *
     * @param request the request as received
     * @return the outcome, never null
     */
    default WebhookResult handleWebhook(WebhookRequest request) {
        return WebhookResult.rejected(404, "this platform does not accept webhooks");
    }

    /**
     * Reports whether the client can deliver right now, without blocking for long (report the
     * state of the last operation rather than calling the platform).
     *
     * @return the current health, never null
     */
    HealthStatus health();

    /**
     * Releases every resource the client holds: threads, sockets, connection pools. Must be
     * idempotent (a second call does nothing) and must not throw.
     */
    @Override
    void close();
}
