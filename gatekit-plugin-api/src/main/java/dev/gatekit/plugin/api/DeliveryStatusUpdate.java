package dev.gatekit.plugin.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The platform reports what became of a message GateKit sent.
 *
 * @param eventId           the platform's id of the event
 * @param platformMessageId the platform's id of the message, as in {@link DeliveryReceipt}
 * @param status            the new status
 * @param detail            a human detail, such as the platform's error text, or null
 * @param receivedAt        when the status changed
 * @param rawPayload        the platform's payload as received, or null
 */
public record DeliveryStatusUpdate(
        String eventId,
        String platformMessageId,
        Status status,
        String detail,
        Instant receivedAt,
        String rawPayload) implements InboundEvent {

    /** The status of a sent message. */
    public enum Status {
        /**
         * The platform sent it on toward the recipient; delivery is still to come.
         *
         * @since 1.2.0
         */
        SENT,
        /** It reached the recipient's device or the channel. */
        DELIVERED,
        /** The recipient read it. */
        READ,
        /** The platform gave up on it after accepting it. */
        FAILED
    }

    /**
     * Validates the event.
     *
     * @throws IllegalArgumentException when the event id or platform message id is blank
     */
    public DeliveryStatusUpdate {
        Values.requireText(eventId, "eventId");
        Values.requireText(platformMessageId, "platformMessageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
