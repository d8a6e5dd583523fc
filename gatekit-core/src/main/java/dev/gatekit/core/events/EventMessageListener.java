package dev.gatekit.core.events;

import dev.gatekit.core.messages.MessageListener;
import dev.gatekit.core.messages.MessageRecord;
import dev.gatekit.core.messages.TargetRecord;
import dev.gatekit.core.messages.TargetState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Sends {@code message.delivered} and {@code message.failed} as each target of a sent message finishes. */
public class EventMessageListener implements MessageListener {

    private final EventPublisher publisher;

    public EventMessageListener(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Written in the transaction that records the outcomes, so an event is never lost once its outcome is. */
    @Override
    public Optional<TransactionalWrite> recordFinished(List<FinishedTarget> finished) {
        List<FinishedTarget> wanted = finished.stream()
                .filter(f -> publisher.isWanted(f.message().projectId(), kindOf(f.target()))).toList();
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(handle -> {
            List<UUID> deliveries = new ArrayList<>();
            for (FinishedTarget f : wanted) {
                deliveries.addAll(publisher.record(handle, f.message().projectId(), kindOf(f.target()), data(f.message(), f.target())));
            }
            return () -> publisher.enqueue(deliveries);
        });
    }

    private static String kindOf(TargetRecord target) {
        return target.state() == TargetState.DELIVERED ? EventKinds.MESSAGE_DELIVERED : EventKinds.MESSAGE_FAILED;
    }

    private static Map<String, Object> data(MessageRecord message, TargetRecord target) {
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
        return data;
    }
}
