package dev.gatekit.core.messages;

import dev.gatekit.core.json.Json;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code messages}: one accepted send request, with the aggregate state of its targets. */
public record MessageRecord(
        UUID id,
        UUID projectId,
        TargetState state,
        Priority priority,
        String body,
        String trackingId,
        String idempotencyKey,
        String requestHash,
        String createdBy,
        Instant scheduledAt,
        Instant createdAt,
        Instant updatedAt,
        Instant processedAt,
        Instant finishedAt) {

    /** The canonical message stored in {@code body}. */
    public MessageBody parsedBody() {
        return Json.read(body, MessageBody.class);
    }
}
