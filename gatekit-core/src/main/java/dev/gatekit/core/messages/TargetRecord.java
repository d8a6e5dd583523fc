package dev.gatekit.core.messages;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code message_targets}: one target of one message, delivered, retried and reported on
 * its own. {@code leaseOwner} and {@code leaseExpiresAt} are set while a worker holds it.
 */
public record TargetRecord(
        UUID id,
        UUID messageId,
        int position,
        UUID configurationId,
        String platform,
        String targetType,
        String targetId,
        TargetState state,
        int attempts,
        Instant nextAttemptAt,
        String leaseOwner,
        Instant leaseExpiresAt,
        String lastError,
        String reasonCode,
        List<String> platformMessageIds,
        Instant deliveredAt,
        Instant updatedAt) {

    public TargetRecord {
        platformMessageIds = platformMessageIds == null ? List.of() : List.copyOf(platformMessageIds);
    }
}
