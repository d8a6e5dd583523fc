package dev.gatekit.core.messages;

/**
 * Hears what happens to messages, for features built on top of delivery (usage counters, events
 * to the user's own endpoints). Called after the change is committed; a listener must be quick and
 * must not throw (a failure is logged and ignored, delivery goes on).
 */
public interface MessageListener {

    /** A send request was accepted (202) and recorded. */
    default void accepted(MessageRecord message, java.util.List<TargetRecord> targets) {
    }

    /** One target reached a final state: {@link TargetState#DELIVERED} or {@link TargetState#FAILED}. */
    default void targetFinished(MessageRecord message, TargetRecord target) {
    }
}
