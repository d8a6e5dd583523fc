package dev.gatekit.plugin.api;

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
 */
public record OutboundMessage(
        String messageId,
        Target target,
        MessageContent content,
        SendOptions options,
        Map<String, String> metadata) {

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
    }
}
