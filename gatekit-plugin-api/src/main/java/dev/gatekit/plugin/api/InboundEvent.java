package dev.gatekit.plugin.api;

import java.time.Instant;

/**
 * Something that happened on the platform that GateKit forwards to the project: a
 * {@link MessageReceived}, an {@link InteractionReceived} or a {@link DeliveryStatusUpdate}.
 */
public sealed interface InboundEvent permits MessageReceived, InteractionReceived, DeliveryStatusUpdate {

    /**
     * The platform's id of this event (an update id, an event id), used by the host to drop
     * duplicates when a platform delivers a webhook twice.
     *
     * @return the id, never blank
     */
    String eventId();

    /**
     * When the event happened, or when it was received if the platform does not say.
     *
     * @return the time
     */
    Instant receivedAt();
}
