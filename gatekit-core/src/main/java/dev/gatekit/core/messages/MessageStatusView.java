package dev.gatekit.core.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET …/messages/status/{jobId}}. {@code id}, {@code state}, {@code progress}, {@code data},
 * {@code attemptsMade}, {@code failedReason}, {@code processedOn} and {@code finishedOn} (epoch
 * milliseconds) keep the original's Bull job fields; {@code targets} says what became of each target,
 * with its latest attempts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageStatusView(
        UUID id,
        UUID jobId,
        TargetState state,
        int progress,
        JsonNode data,
        int attemptsMade,
        String failedReason,
        Long processedOn,
        Long finishedOn,
        Instant createdAt,
        Instant scheduledAt,
        List<TargetStatus> targets) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetStatus(
            String platformId,
            String platform,
            String type,
            String id,
            TargetState state,
            int attempts,
            List<String> platformMessageIds,
            String lastError,
            String reasonCode,
            Instant nextAttemptAt,
            Instant deliveredAt,
            PlatformStatus platformStatus,
            List<DeliveryAttempts.Attempt> deliveryAttempts,
            Map<String, String> details) {
    }

    /**
     * The latest delivery status the platform reported for the target's message (sent, delivered,
     * read or failed), when it reported one; {@code at} is when the platform says it changed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlatformStatus(String status, String detail, Instant at, String platformMessageId) {
    }
}
