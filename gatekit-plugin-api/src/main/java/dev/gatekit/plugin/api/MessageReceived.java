package dev.gatekit.plugin.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message someone sent on the platform (to the bot, or in a chat the bot is in).
 *
 * @param eventId           the platform's id of the event
 * @param chatId            the chat, channel or conversation it was sent in
 * @param senderId          the platform's id of the sender, or null when anonymous
 * @param senderName        the sender's display name, or null
 * @param text              the text, or null when only attachments were sent
 * @param attachments       files sent with it; null means none
 * @param threadId          the thread it was posted in, or null
 * @param replyToId         the platform message id it replies to, or null
 * @param platformMessageId the platform's id of the message, or null
 * @param receivedAt        when it was sent
 * @param rawPayload        the platform's payload as received (usually JSON), or null
 * @param editOf            when this is an edit of a message sent earlier, the platform's id of that
 *                          message (the {@code platformMessageId} it was received with); null for a
 *                          new message (since 1.3.0)
 */
public record MessageReceived(
        String eventId,
        String chatId,
        String senderId,
        String senderName,
        String text,
        List<InboundAttachment> attachments,
        String threadId,
        String replyToId,
        String platformMessageId,
        Instant receivedAt,
        String rawPayload,
        String editOf) implements InboundEvent {

    /**
     * Validates the event and copies the attachments.
     *
     * @throws IllegalArgumentException when the event id or chat id is blank
     */
    public MessageReceived {
        Values.requireText(eventId, "eventId");
        Values.requireText(chatId, "chatId");
        attachments = Values.list(attachments, "attachments");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /**
     * A new message (not an edit), as before API 1.3.0.
     *
     * @param eventId           the platform's id of the event
     * @param chatId            the chat, channel or conversation it was sent in
     * @param senderId          the platform's id of the sender, or null when anonymous
     * @param senderName        the sender's display name, or null
     * @param text              the text, or null when only attachments were sent
     * @param attachments       files sent with it; null means none
     * @param threadId          the thread it was posted in, or null
     * @param replyToId         the platform message id it replies to, or null
     * @param platformMessageId the platform's id of the message, or null
     * @param receivedAt        when it was sent
     * @param rawPayload        the platform's payload as received (usually JSON), or null
     */
    public MessageReceived(String eventId, String chatId, String senderId, String senderName, String text,
                           List<InboundAttachment> attachments, String threadId, String replyToId, String platformMessageId,
                           Instant receivedAt, String rawPayload) {
        this(eventId, chatId, senderId, senderName, text, attachments, threadId, replyToId, platformMessageId, receivedAt,
                rawPayload, null);
    }
}
