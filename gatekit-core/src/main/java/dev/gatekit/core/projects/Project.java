package dev.gatekit.core.projects;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A project: the unit that owns API keys, platform configurations and messages.
 *
 * @param ownerSubject the JWT subject that created it; null for projects an admin key created
 */
public record Project(
        UUID id,
        String slug,
        String name,
        String description,
        ProjectEnvironment environment,
        boolean isDefault,
        Map<String, Object> settings,
        String ownerSubject,
        Instant createdAt,
        Instant updatedAt) {

    public Project {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}
