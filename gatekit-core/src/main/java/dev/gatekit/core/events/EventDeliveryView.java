package dev.gatekit.core.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One line of an endpoint's delivery log. */
public record EventDeliveryView(UUID id, UUID eventId, String event, String state, int attempts, Integer lastStatusCode,
                                String lastError, Instant nextAttemptAt, Instant createdAt, Instant updatedAt, Instant deliveredAt) {

    /** A page of the log, newest first; {@code nextCursor} is null on the last page. */
    public record Page(List<EventDeliveryView> deliveries, String nextCursor) {
    }
}
