package dev.gatekit.plugin.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message the host asks a plugin to deliver.
 *
 * @param messageId the host's id of the message; the same across retries, so use it as an
 *                  idempotency key where the platform has one
 * @param target    where it goes
 * @param content   what it says
 * @param options   how to send it; {@link SendOptions#NONE} when null
 * @param metadata  the caller's free-form key/values; null means none. Plugins may pass them on
 *                  where the platform has such a field, and otherwise ignore them
 * @param deliveredParts on a retry, the platform message ids of the parts an earlier attempt already
 *                  delivered, in order, as that attempt's {@link RetryableDeliveryException#deliveredParts()}
 *                  reported them; empty on a first attempt. A plugin that splits a message into parts
 *                  skips that many and lists these ids first in its receipt (since 1.3.0)
 */
public record OutboundMessage(
        String messageId,
        Target target,
        MessageContent content,
        SendOptions options,
        Map<String, String> metadata,
        List<String> deliveredParts) {

    /**
     * Validates the message and copies the metadata.
     *
     * @throws IllegalArgumentException when the message id is blank
     */
    public OutboundMessage {
        Values.requireText(messageId, "messageId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        options = options == null ? SendOptions.NONE : options;
        metadata = Values.map(metadata);
        deliveredParts = Values.list(deliveredParts, "deliveredParts");
    }

    /**
     * A message none of whose parts was delivered yet, as before API 1.3.0.
     *
     * @param messageId the host's id of the message
     * @param target    where it goes
     * @param content   what it says
     * @param options   how to send it; {@link SendOptions#NONE} when null
     * @param metadata  the caller's free-form key/values; null means none
     */
    public OutboundMessage(String messageId, Target target, MessageContent content, SendOptions options,
                           Map<String, String> metadata) {
        this(messageId, target, content, options, metadata, null);
    }

    /**
     * This message with the parts an earlier attempt delivered.
     *
     * @param delivered the platform message ids of those parts, in order
     * @return a copy carrying them
     * @since 1.3.0
     */
    public OutboundMessage withDeliveredParts(List<String> delivered) {
        return new OutboundMessage(messageId, target, content, options, metadata, delivered);
    }
}
