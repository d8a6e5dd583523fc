package dev.gatekit.plugin.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Someone pressed a button GateKit sent, or invoked a command (a slash command, a bot command).
 *
 * @param eventId           the platform's id of the event
 * @param kind              what kind of interaction it was
 * @param value             the pressed {@link Button#value()}, or the command with its arguments
 *                          (such as {@code /status api})
 * @param userId            the platform's id of the user who interacted
 * @param userName          the user's display name, or null
 * @param chatId            the chat or channel it happened in, or null
 * @param platformMessageId the platform's id of the message whose button was pressed, or null
 * @param receivedAt        when it happened
 * @param rawPayload        the platform's payload as received, or null
 */
public record InteractionReceived(
        String eventId,
        Kind kind,
        String value,
        String userId,
        String userName,
        String chatId,
        String platformMessageId,
        Instant receivedAt,
        String rawPayload) implements InboundEvent {

    /** The kind of interaction. */
    public enum Kind {
        /** A button was pressed; {@code value} is the button's value. */
        BUTTON,
        /** A command was invoked; {@code value} is the command text. */
        COMMAND
    }

    /**
     * Validates the event.
     *
     * @throws IllegalArgumentException when the event id or user id is blank
     */
    public InteractionReceived {
        Values.requireText(eventId, "eventId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Values.requireText(userId, "userId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
