package dev.gatekit.core.messages;

/**
 * {@code GET …/messages/queue/metrics}: the original's Bull counters, for one project, counted in
 * Postgres so every instance agrees. {@code waiting} is messages queued for delivery (Bull's
 * name); {@code waitingForPlugin} those whose platform has no plugin loaded; {@code paused} the
 * pending messages on a paused platform.
 */
public record QueueMetrics(long waiting, long active, long completed, long failed, long delayed, long paused, long total,
                           long waitingForPlugin) {
}
