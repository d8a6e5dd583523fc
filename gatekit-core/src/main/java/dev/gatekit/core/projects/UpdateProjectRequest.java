package dev.gatekit.core.projects;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * {@code PATCH /api/v1/projects/{slug}}: only the fields present change. Renaming keeps the slug,
 * so URLs and integrations stay valid; a new slug is taken only when {@code slug} is sent.
 */
public record UpdateProjectRequest(
        @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        @Size(max = 2000) String description,
        ProjectEnvironment environment,
        @Pattern(regexp = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
                message = "must be lower-case letters, digits and dashes, at most 64 characters") String slug,
        Boolean isDefault,
        Map<String, Object> settings) {
}
