package dev.gatekit.core.messages;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The 202 answer to a send, in the original's shape: {@code {"success":true,"jobId","status":"queued",…}}. */
public record SendResult(boolean success, UUID jobId, String status, List<TargetSummary> targets, List<String> platformIds,
                         Instant timestamp, String message) {

    public record TargetSummary(String platformId, String platform, String type, String id, TargetState state) {
    }
}
