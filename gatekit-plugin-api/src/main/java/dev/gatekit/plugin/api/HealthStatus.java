package dev.gatekit.plugin.api;

import java.util.Objects;

/**
 * A client's health, shown in the host's health checks.
 *
 * @param state  the state
 * @param detail a short human detail, such as the last error, or null
 */
public record HealthStatus(State state, String detail) {

    /** How well a client can deliver. */
    public enum State {
        /** Working. */
        UP,
        /** Working with trouble (some recent failures, a reconnecting gateway). */
        DEGRADED,
        /** Not able to deliver (closed, credentials refused, platform unreachable). */
        DOWN
    }

    /** Validates the status. */
    public HealthStatus {
        Objects.requireNonNull(state, "state");
    }

    /**
     * A healthy status.
     *
     * @return {@link State#UP} without detail
     */
    public static HealthStatus up() {
        return new HealthStatus(State.UP, null);
    }

    /**
     * A degraded status.
     *
     * @param detail what is wrong
     * @return {@link State#DEGRADED} with the detail
     */
    public static HealthStatus degraded(String detail) {
        return new HealthStatus(State.DEGRADED, detail);
    }

    /**
     * A failed status.
     *
     * @param detail what is wrong
     * @return {@link State#DOWN} with the detail
     */
    public static HealthStatus down(String detail) {
        return new HealthStatus(State.DOWN, detail);
    }
}
