package dev.gatekit.core.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A row of {@code event_endpoints}; the secret stays sealed here. */
public record EventEndpoint(UUID id, UUID projectId, String url, String description, List<String> kinds, String secretCiphertext,
                            boolean isActive, Instant createdAt, Instant updatedAt) {

    public EventEndpoint {
        kinds = List.copyOf(kinds);
    }

    public boolean wants(String kind) {
        return kinds.contains(kind) || kinds.contains(EventKinds.ALL);
    }

    @Override
    public String toString() {
        return "EventEndpoint[id=" + id + ", url=" + url + ", kinds=" + kinds + ", secret=****, isActive=" + isActive + "]";
    }
}
