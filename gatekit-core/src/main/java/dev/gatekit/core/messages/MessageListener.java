package dev.gatekit.core.messages;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Hears what happens to messages, for features built on top of delivery (usage counters, events
 * to the user's own endpoints). {@code accepted} and {@code targetFinished} are called after the
 * change is committed; a listener must be quick and must not throw (a failure is logged and
 * ignored, delivery goes on).
 */
public interface MessageListener {

    /** A target that reached a final state, with its message. */
    record FinishedTarget(MessageRecord message, TargetRecord target) {
    }

    /** Database writes that must commit with the outcomes they report; returns what to do once committed. */
    @FunctionalInterface
    interface TransactionalWrite {
        Runnable write(Handle handle);
    }

    /** A send request was accepted (202) and recorded. */
    default void accepted(MessageRecord message, List<TargetRecord> targets) {
    }

    /**
     * What to write in the transaction that records these targets' final states, or empty when
     * there is nothing to write (the transaction then pays nothing for this listener).
     */
    default Optional<TransactionalWrite> recordFinished(List<FinishedTarget> finished) {
        return Optional.empty();
    }

    /** One target reached a final state: {@link TargetState#DELIVERED} or {@link TargetState#FAILED}. */
    default void targetFinished(MessageRecord message, TargetRecord target) {
    }
}
