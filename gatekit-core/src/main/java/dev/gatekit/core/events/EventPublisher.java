package dev.gatekit.core.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatekit.core.json.Json;
import dev.gatekit.core.messages.Priority;
import dev.gatekit.core.queue.DispatchQueue;
import dev.gatekit.core.redis.InvalidationBus;
import java.time.Clock;
import java.time.Duration;
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

    /** How long an instance may miss an endpoint change it did not hear of (when Redis could not tell it). */
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final DispatchQueue queue;
    private final Clock clock;
    private final EventDao endpoints;
    /** Every message delivered asks whether anyone wants to hear of it; the answer is usually no, and cached. */
    private final Cache<UUID, List<EventEndpoint>> activeByProject = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();

    public EventPublisher(Jdbi jdbi, DispatchQueue queue, InvalidationBus invalidations, Clock clock) {
        this.jdbi = jdbi;
        this.queue = queue;
        this.clock = clock;
        this.endpoints = jdbi.onDemand(EventDao.class);
        invalidations.subscribe(InvalidationBus.Topic.EVENT_ENDPOINTS, projectId -> activeByProject.invalidate(UUID.fromString(projectId)));
    }

    /** Whether any active endpoint of the project wants events of this kind. */
    public boolean isWanted(UUID projectId, String kind) {
        return !wanting(projectId, kind).isEmpty();
    }

    private List<EventEndpoint> wanting(UUID projectId, String kind) {
        List<EventEndpoint> active = activeByProject.get(projectId,
                id -> endpoints.endpointsOf(id).stream().filter(EventEndpoint::isActive).toList());
        return active.stream().filter(e -> e.kinds().contains(kind) || e.kinds().contains("*")).toList();
    }

    /** Records the event inside {@code handle}'s transaction; returns the deliveries to {@link #enqueue} after commit. */
    public List<UUID> record(Handle handle, UUID projectId, String kind, Map<String, Object> data) {
        List<EventEndpoint> endpoints = wanting(projectId, kind);
        if (endpoints.isEmpty()) {
            return List.of();
        }
        EventDao dao = handle.attach(EventDao.class);
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
