package dev.gatekit.core.platforms;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.Map;

/**
 * {@code POST /api/v1/projects/{slug}/platforms}:
 * {@code {"platform":"webhook","name":"…","credentials":{…},"config":{…},"isActive":true,"testMode":false,"limits":{…}}};
 * {@code settings} is accepted for {@code config}. Values are strings (numbers and booleans are taken as their text).
 */
public record CreatePlatformConfigurationRequest(
        String platform,
        String name,
        Map<String, Object> credentials,
        @JsonAlias("settings") Map<String, Object> config,
        Boolean isActive,
        Boolean testMode,
        LimitOverrides limits) {

    @Override
    public String toString() {
        return "CreatePlatformConfigurationRequest[platform=" + platform + ", name=" + name + ", credentials=****]";
    }
}
