package dev.gatekit.core.events;

import dev.gatekit.core.messages.MessageListener;
import dev.gatekit.core.messages.MessageRecord;
import dev.gatekit.core.messages.TargetRecord;
import dev.gatekit.core.messages.TargetState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Sends {@code message.delivered} and {@code message.failed} as each target of a sent message finishes. */
public class EventMessageListener implements MessageListener {

    private final EventPublisher publisher;

    public EventMessageListener(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Written in the transaction that records the outcome, so the event is never lost once the outcome is. */
    @Override
    public Runnable recordFinished(Handle handle, MessageRecord message, TargetRecord target) {
        String kind = target.state() == TargetState.DELIVERED ? EventKinds.MESSAGE_DELIVERED
                : target.state() == TargetState.FAILED ? EventKinds.MESSAGE_FAILED : null;
        if (kind == null) {
            return () -> { };
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", message.id().toString());
        data.put("jobId", message.id().toString());
        data.put("targetId", target.id().toString());
        data.put("trackingId", message.trackingId());
        data.put("platform", target.platform());
        data.put("configurationId", target.configurationId().toString());
        data.put("target", Map.of("type", target.targetType(), "id", target.targetId()));
        data.put("state", target.state().wireName());
        data.put("attempts", target.attempts());
        data.put("platformMessageIds", target.platformMessageIds());
        data.put("error", target.lastError());
        data.put("reasonCode", target.reasonCode());
        data.put("deliveredAt", target.deliveredAt() == null ? null : target.deliveredAt().toString());
        List<UUID> deliveries = publisher.record(handle, message.projectId(), kind, data);
        return () -> publisher.enqueue(deliveries);
    }
}
