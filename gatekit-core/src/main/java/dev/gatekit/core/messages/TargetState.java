package dev.gatekit.core.messages;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where one target of a message stands; a message's own state is the aggregate of its targets'.
 * {@code waiting} means no plugin for its platform is loaded: it moves on by itself when one is.
 */
public enum TargetState {
    QUEUED, ACTIVE, DELAYED, DELIVERED, FAILED, WAITING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TargetState parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this == DELIVERED || this == FAILED;
    }
}
