package dev.gatekit.core.events;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code events}: the JSON body every endpoint receives for it. */
public record StoredEvent(UUID id, UUID projectId, String kind, String payload, Instant createdAt) {
}
