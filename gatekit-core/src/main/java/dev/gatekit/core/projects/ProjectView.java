package dev.gatekit.core.projects;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A project as the API shows it. */
public record ProjectView(
        UUID id,
        String slug,
        String name,
        String description,
        ProjectEnvironment environment,
        boolean isDefault,
        Map<String, Object> settings,
        Instant createdAt,
        Instant updatedAt) {

    public static ProjectView of(Project p) {
        return new ProjectView(p.id(), p.slug(), p.name(), p.description(), p.environment(), p.isDefault(),
                p.settings(), p.createdAt(), p.updatedAt());
    }
}
