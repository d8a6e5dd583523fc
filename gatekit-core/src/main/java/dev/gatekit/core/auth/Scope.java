package dev.gatekit.core.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What a credential may do. The wire names are the original GateKit's. */
public enum Scope {
    MESSAGES_SEND("messages:send"),
    MESSAGES_READ("messages:read"),
    PROJECTS_READ("projects:read"),
    PROJECTS_WRITE("projects:write"),
    KEYS_READ("keys:read"),
    KEYS_MANAGE("keys:manage"),
    PLATFORMS_READ("platforms:read"),
    PLATFORMS_WRITE("platforms:write");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<Scope> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }

    public static Set<Scope> all() {
        return EnumSet.allOf(Scope.class);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
