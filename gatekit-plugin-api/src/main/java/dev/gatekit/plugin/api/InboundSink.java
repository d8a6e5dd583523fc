package dev.gatekit.plugin.api;

/**
 * Receives inbound events that a client gets over a connection it holds itself (for example a
 * websocket gateway) rather than through {@link PlatformClient#handleWebhook}.
 */
@FunctionalInterface
public interface InboundSink {

    /**
     * Hands one event to the host. Thread-safe; returns quickly (the host queues the event).
     *
     * @param event the event, never null
     */
    void publish(InboundEvent event);
}
