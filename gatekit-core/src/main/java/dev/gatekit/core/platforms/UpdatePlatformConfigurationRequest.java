package dev.gatekit.core.platforms;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.Map;

/**
 * {@code PATCH …/platforms/{platform}}: every field optional. {@code credentials} and {@code config}
 * are merged into what is stored (a field sent replaces, a field sent as null is removed, others are
 * kept); {@code limits} replaces the overrides; {@code rollWebhookToken: true} issues a new webhook token.
 */
public record UpdatePlatformConfigurationRequest(
        String name,
        Map<String, Object> credentials,
        @JsonAlias("settings") Map<String, Object> config,
        Boolean isActive,
        Boolean testMode,
        LimitOverrides limits,
        Boolean rollWebhookToken) {

    @Override
    public String toString() {
        return "UpdatePlatformConfigurationRequest[name=" + name + ", credentials=****]";
    }
}
