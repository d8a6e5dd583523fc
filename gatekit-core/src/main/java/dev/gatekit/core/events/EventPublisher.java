package dev.gatekit.core.events;

import dev.gatekit.core.json.Json;
import dev.gatekit.core.messages.Priority;
import dev.gatekit.core.queue.DispatchQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns something that happened into an event for every active endpoint of the project that wants
 * its kind: one {@code events} row and one {@code event_deliveries} row per endpoint, written in the
 * caller's transaction (so an inbound message and its deliveries commit together), then handed to
 * the event queue in Redis once committed. Nothing is written when no endpoint wants the kind.
 */
public class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final Jdbi jdbi;
    private final DispatchQueue queue;
    private final Clock clock;

    public EventPublisher(Jdbi jdbi, DispatchQueue queue, Clock clock) {
        this.jdbi = jdbi;
        this.queue = queue;
        this.clock = clock;
    }

    /** Records the event inside {@code handle}'s transaction; returns the deliveries to {@link #enqueue} after commit. */
    public List<UUID> record(Handle handle, UUID projectId, String kind, Map<String, Object> data) {
        EventDao dao = handle.attach(EventDao.class);
        List<EventEndpoint> endpoints = dao.activeEndpointsFor(projectId, kind);
        if (endpoints.isEmpty()) {
            return List.of();
        }
        UUID eventId = UUID.randomUUID();
        Instant now = clock.instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", eventId.toString());
        payload.put("type", kind);
        payload.put("createdAt", now.toString());
        payload.put("projectId", projectId.toString());
        payload.put("data", data);
        dao.insertEvent(eventId, projectId, kind, Json.write(payload), now);
        List<UUID> deliveries = new ArrayList<>();
        for (EventEndpoint endpoint : endpoints) {
            UUID id = UUID.randomUUID();
            dao.insertDelivery(id, eventId, endpoint.id(), now);
            deliveries.add(id);
        }
        return deliveries;
    }

    /** Records and enqueues in a transaction of its own. */
    public List<UUID> publish(UUID projectId, String kind, Map<String, Object> data) {
        List<UUID> deliveries = jdbi.inTransaction(handle -> record(handle, projectId, kind, data));
        enqueue(deliveries);
        return deliveries;
    }

    /** Puts committed deliveries in Redis; if Redis is down the sweeper finds them in Postgres. */
    public void enqueue(List<UUID> deliveries) {
        for (UUID id : deliveries) {
            try {
                queue.enqueue(id, Priority.NORMAL);
            } catch (RuntimeException e) {
                LOG.warn("Could not enqueue event delivery {} in Redis; the sweeper will: {}", id, e.toString());
            }
        }
    }

}
