package dev.gatekit.core.projects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A project's (or key's) environment; {@link #keyTag()} is what a key's prefix carries. */
public enum ProjectEnvironment {
    DEVELOPMENT("development", "dev"),
    STAGING("staging", "stg"),
    PRODUCTION("production", "prod"),
    CUSTOM("custom", "custom");

    private final String wireName;
    private final String keyTag;

    ProjectEnvironment(String wireName, String keyTag) {
        this.wireName = wireName;
        this.keyTag = keyTag;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public String keyTag() {
        return keyTag;
    }

    /** Accepts the long names and the key tags ({@code prod}, {@code stg}, {@code dev}). */
    @JsonCreator
    public static ProjectEnvironment parse(String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(e -> e.wireName.equals(normalized) || e.keyTag.equals(normalized))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("must be one of " + names()));
    }

    public static String names() {
        return Arrays.stream(values()).map(ProjectEnvironment::wireName).collect(Collectors.joining(", "));
    }
}
