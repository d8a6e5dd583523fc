package dev.gatekit.core.messages;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Queue order: every high message is taken before any normal one, normal before low. */
public enum Priority {
    HIGH(0), NORMAL(1), LOW(2);

    private final int rank;

    Priority(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Priority ofRank(int rank) {
        for (Priority p : values()) {
            if (p.rank == rank) {
                return p;
            }
        }
        return NORMAL;
    }
}
