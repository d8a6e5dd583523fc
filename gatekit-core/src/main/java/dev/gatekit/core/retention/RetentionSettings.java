package dev.gatekit.core.retention;

import java.time.Duration;
import java.time.LocalTime;

/**
 * How long content is kept, from {@code retention:} in config.yml. 0 days keeps it forever.
 *
 * @param messageBodyDays days an outbound message's content and an inbound message's text and
 *                        attachments (and the events sent about them) are kept
 * @param rawPayloadDays  days a platform's raw inbound payload is kept
 * @param batchSize       rows changed per statement, so no statement holds many row locks for long
 * @param runAt           the UTC time of day the daily prune runs
 * @param pause           the pause between batches, so pruning yields to live traffic
 */
public record RetentionSettings(int messageBodyDays, int rawPayloadDays, int batchSize, LocalTime runAt, Duration pause) {
}
