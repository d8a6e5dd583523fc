package dev.gatekit.core.webhooks;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code inbound_events}: one message, interaction or delivery-status update a platform
 * reported, in the universal model. {@code kind} is {@code message}, {@code interaction} or
 * {@code status}; {@code attachments} is JSON; {@code editOf} is, for a message that edits an
 * earlier one, that message's platform id.
 */
public record InboundRecord(
        UUID id,
        UUID projectId,
        UUID configurationId,
        String platform,
        String kind,
        String platformEventId,
        String chatId,
        String senderId,
        String senderName,
        String text,
        String attachments,
        String threadId,
        String replyToId,
        String platformMessageId,
        String interactionKind,
        String interactionValue,
        String status,
        String statusDetail,
        String rawPayload,
        Instant receivedAt,
        Instant createdAt,
        String editOf) {
}
