package dev.gatekit.core.platforms;

import dev.gatekit.plugin.api.DeliveryLimits;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A configuration as the API shows it: credentials masked (never in clear), settings in clear.
 *
 * @param available       whether a loaded plugin serves the platform now
 * @param credentialsSet  whether any credential is stored
 * @param credentials     each stored credential masked: {@code ••••} plus, for long values, the last 4 characters
 * @param effectiveLimits the limits delivery obeys (overrides over the platform's defaults); null while unavailable
 */
public record PlatformConfigurationView(
        UUID id,
        String platform,
        String name,
        boolean available,
        boolean isActive,
        boolean testMode,
        boolean credentialsSet,
        Map<String, String> credentials,
        Map<String, String> config,
        LimitOverrides limits,
        DeliveryLimits effectiveLimits,
        Instant createdAt,
        Instant updatedAt) {
}
