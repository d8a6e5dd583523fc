package dev.gatekit.core.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code event_deliveries}: one event to one endpoint. States: {@code pending} (waiting,
 * possibly until {@code nextAttemptAt}), {@code active} (a sender holds its lease),
 * {@code delivered}, {@code failed} (attempts exhausted or the endpoint was switched off).
 */
public record EventDelivery(UUID id, UUID eventId, UUID endpointId, String state, int attempts, Instant nextAttemptAt,
                            String leaseOwner, Instant leaseExpiresAt, Integer lastStatusCode, String lastError,
                            Instant createdAt, Instant updatedAt, Instant deliveredAt) {
}
