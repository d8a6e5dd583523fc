package dev.gatekit.plugin.api;

import java.util.Objects;

/**
 * Where a message goes.
 *
 * @param type the kind of target
 * @param id   the platform's id for it, such as a chat id or user id; not blank
 */
public record Target(TargetType type, String id) {

    /**
     * Validates the target.
     *
     * @throws IllegalArgumentException when the id is blank
     */
    public Target {
        Objects.requireNonNull(type, "type");
        Values.requireText(id, "target id");
    }

    /**
     * A user target.
     *
     * @param id the platform's user id
     * @return the target
     */
    public static Target user(String id) {
        return new Target(TargetType.USER, id);
    }

    /**
     * A channel target.
     *
     * @param id the platform's channel id
     * @return the target
     */
    public static Target channel(String id) {
        return new Target(TargetType.CHANNEL, id);
    }

    /**
     * A group target.
     *
     * @param id the platform's group id
     * @return the target
     */
    public static Target group(String id) {
        return new Target(TargetType.GROUP, id);
    }

    /**
     * A thread target.
     *
     * @param id the platform's thread id
     * @return the target
     */
    public static Target thread(String id) {
        return new Target(TargetType.THREAD, id);
    }
}
