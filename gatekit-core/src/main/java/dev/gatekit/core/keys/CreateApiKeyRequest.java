package dev.gatekit.core.keys;

import dev.gatekit.core.projects.ProjectEnvironment;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /api/v1/projects/{slug}/keys}. Scopes arrive as names and are checked by the
 * service, so an unknown one is reported by name rather than as a JSON type error.
 *
 * @param environment defaults to the project's own environment
 * @param expiresAt   or {@code expiresInDays}; neither means the key does not expire
 */
public record CreateApiKeyRequest(
        @NotBlank @Size(max = 200) String name,
        ProjectEnvironment environment,
        @NotEmpty List<@NotBlank String> scopes,
        Instant expiresAt,
        @Min(1) @Max(3650) Integer expiresInDays) {
}
