package dev.gatekit.core.messages;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;
import java.util.List;
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

    /**
     * A message's state from its targets': delivered when all were, failed when all finished and
     * one failed, else the most advanced pending state (active, queued, delayed, then waiting).
     * {@code MessageDao.refreshStates} computes the same in SQL.
     */
    public static TargetState aggregate(Collection<TargetState> targets) {
        if (targets.isEmpty()) {
            return QUEUED;
        }
        if (targets.stream().allMatch(s -> s == DELIVERED)) {
            return DELIVERED;
        }
        if (targets.stream().allMatch(TargetState::isFinal)) {
            return FAILED;
        }
        for (TargetState pending : List.of(ACTIVE, QUEUED, DELAYED)) {
            if (targets.contains(pending)) {
                return pending;
            }
        }
        return WAITING;
    }
}
