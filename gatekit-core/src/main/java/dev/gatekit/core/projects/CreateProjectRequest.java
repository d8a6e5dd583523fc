package dev.gatekit.core.projects;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** {@code POST /api/v1/projects}. The slug is derived from the name unless one is given. */
public record CreateProjectRequest(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,
        ProjectEnvironment environment,
        @Pattern(regexp = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
                message = "must be lower-case letters, digits and dashes, at most 64 characters") String slug,
        Boolean isDefault,
        Map<String, Object> settings) {
}
