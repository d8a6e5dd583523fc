package dev.gatekit.core.messages;

import org.jdbi.v3.core.Handle;

/**
 * Hears what happens to messages, for features built on top of delivery (usage counters, events
 * to the user's own endpoints). {@code accepted} and {@code targetFinished} are called after the
 * change is committed; a listener must be quick and must not throw (a failure is logged and
 * ignored, delivery goes on).
 */
public interface MessageListener {

    /** A send request was accepted (202) and recorded. */
    default void accepted(MessageRecord message, java.util.List<TargetRecord> targets) {
    }

    /**
     * Inside the transaction that records a target's final state, for writes that must commit with
     * it or not at all. Returns what to do once it committed (say, hand new rows to Redis).
     */
    default Runnable recordFinished(Handle handle, MessageRecord message, TargetRecord target) {
        return () -> { };
    }

    /** One target reached a final state: {@link TargetState#DELIVERED} or {@link TargetState#FAILED}. */
    default void targetFinished(MessageRecord message, TargetRecord target) {
    }
}
