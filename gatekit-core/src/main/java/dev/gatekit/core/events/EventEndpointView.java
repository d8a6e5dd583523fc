package dev.gatekit.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An endpoint as the API shows it; {@code secret} only on create and roll, never again. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEndpointView(UUID id, String url, String description, List<String> kinds, boolean isActive, String secret,
                                Instant createdAt, Instant updatedAt) {

    static EventEndpointView of(EventEndpoint endpoint, String secret) {
        return new EventEndpointView(endpoint.id(), endpoint.url(), endpoint.description(), endpoint.kinds(), endpoint.isActive(),
                secret, endpoint.createdAt(), endpoint.updatedAt());
    }
}
