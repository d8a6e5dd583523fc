package dev.gatekit.core.messages;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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

    public void targetFinished(MessageRecord message, TargetRecord target) {
        notifyAll(l -> l.targetFinished(message, target));
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
