package dev.gatekit.core.platforms;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A row of {@code platform_configurations}: one project's configuration of one platform. The
 * credentials stay sealed here ({@link dev.gatekit.core.crypto.CredentialCipher} output of the
 * whole credential map as JSON); {@link PlatformConfigurationService} opens them only when needed.
 *
 * @param settings the non-secret settings (the descriptor's config fields, plus {@code apiBaseUrl})
 * @param limits   per-configuration overrides of the platform's delivery limits; fields may be null
 */
public record StoredPlatformConfiguration(
        UUID id,
        UUID projectId,
        String platform,
        String name,
        String credentialsCiphertext,
        Map<String, String> settings,
        UUID webhookToken,
        boolean isActive,
        boolean testMode,
        LimitOverrides limits,
        Instant createdAt,
        Instant updatedAt) {

    public StoredPlatformConfiguration {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        limits = limits == null ? LimitOverrides.NONE : limits;
    }

    @Override
    public String toString() {
        return "StoredPlatformConfiguration[id=" + id + ", projectId=" + projectId + ", platform=" + platform
                + ", name=" + name + ", credentials=****, settings=" + settings + ", isActive=" + isActive
                + ", testMode=" + testMode + "]";
    }
}
