package dev.gatekit.plugin.api;

/**
 * A connection to a platform for one platform configuration, opened by
 * {@link PlatformProvider#openClient}.
 *
 * <p>The host calls {@link #send} from several worker threads at once, so a client must be
 * thread-safe. It calls {@link #close()} exactly when it no longer needs the client, after the
 * in-flight sends have finished; a client must release every thread and connection it holds there,
 * or the plugin's class loader cannot be unloaded.
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
    DeliveryReceipt send(OutboundMessage message) throws DeliveryException;

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
