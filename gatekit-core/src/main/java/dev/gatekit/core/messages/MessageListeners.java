package dev.gatekit.core.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registered {@link MessageListener}s; one failing listener never stops the others or delivery. */
public final class MessageListeners {

    private static final Logger LOG = LoggerFactory.getLogger(MessageListeners.class);

    private final List<MessageListener> listeners = new CopyOnWriteArrayList<>();

    public void add(MessageListener listener) {
        listeners.add(listener);
    }

    void accepted(MessageRecord message, List<TargetRecord> targets) {
        notifyAll(l -> l.accepted(message, targets));
    }

    void targetFinished(MessageRecord message, TargetRecord target) {
        notifyAll(l -> l.targetFinished(message, target));
    }

    /**
     * Each listener's in-transaction writes, behind a savepoint: one that fails is rolled back alone
     * and logged, so it can neither abort the outcomes it reports nor block the other listeners. A
     * listener with nothing to write costs no statement.
     */
    List<Runnable> recordFinished(Handle handle, List<MessageListener.FinishedTarget> finished) {
        List<Runnable> afterCommit = new ArrayList<>();
        if (finished.isEmpty()) {
            return afterCommit;
        }
        for (MessageListener listener : listeners) {
            Optional<MessageListener.TransactionalWrite> write;
            try {
                write = listener.recordFinished(finished);
            } catch (RuntimeException e) {
                LOG.warn("Message listener {} failed: {}", listener.getClass().getSimpleName(), e.toString());
                continue;
            }
            if (write.isEmpty()) {
                continue;
            }
            String savepoint = "listener_" + afterCommit.size();
            handle.savepoint(savepoint);
            try {
                afterCommit.add(write.get().write(handle));
                handle.releaseSavepoint(savepoint);
            } catch (RuntimeException e) {
                handle.rollbackToSavepoint(savepoint);
                LOG.warn("Message listener {} failed to record {} finished targets: {}", listener.getClass().getSimpleName(),
                        finished.size(), e.toString());
            }
        }
        return afterCommit;
    }

    private void notifyAll(Consumer<MessageListener> call) {
        for (MessageListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Message listener {} failed: {}", listener.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
