package dev.gatekit.core.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes content past its retention, in batches: each statement changes at most
 * {@code batchSize} rows picked through a partial index ({@code UPDATE … WHERE id IN (SELECT …
 * LIMIT n FOR UPDATE SKIP LOCKED)}), so no long lock is taken and rows a worker holds are skipped
 * until the next run. Rows stay (history, counts and delivery logs keep working); their content goes.
 * Outbound messages are pruned only once final, so a queued message never loses its content.
 */
public class RetentionPruner {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPruner.class);

    /** What one run removed. */
    public record Result(long rawPayloads, long inboundBodies, long messageBodies, long eventPayloads) {
        @Override
        public String toString() {
            return "raw payloads " + rawPayloads + ", inbound bodies " + inboundBodies + ", message bodies " + messageBodies
                    + ", event payloads " + eventPayloads;
        }
    }

    static final String PRUNE_RAW = "UPDATE inbound_events SET raw_payload = NULL WHERE id IN (SELECT id FROM inbound_events "
            + "WHERE raw_payload IS NOT NULL AND created_at < :before ORDER BY created_at LIMIT :batch FOR UPDATE SKIP LOCKED)";
    static final String PRUNE_INBOUND = "UPDATE inbound_events SET text = NULL, attachments = NULL, interaction_value = NULL, "
            + "status_detail = NULL, body_pruned_at = :now WHERE id IN (SELECT id FROM inbound_events WHERE body_pruned_at IS NULL "
            + "AND created_at < :before ORDER BY created_at LIMIT :batch FOR UPDATE SKIP LOCKED)";
    static final String PRUNE_MESSAGES = "UPDATE messages SET body = body - 'content' WHERE id IN (SELECT id FROM messages "
            + "WHERE jsonb_exists(body, 'content') AND created_at < :before AND state IN ('delivered', 'failed') "
            + "ORDER BY created_at LIMIT :batch FOR UPDATE SKIP LOCKED)";
    static final String PRUNE_EVENTS = "UPDATE events SET payload = payload - 'data' || '{\"pruned\":true}'::jsonb WHERE id IN "
            + "(SELECT id FROM events WHERE jsonb_exists(payload, 'data') AND created_at < :before ORDER BY created_at "
            + "LIMIT :batch FOR UPDATE SKIP LOCKED)";

    private final Jdbi jdbi;
    private final RetentionSettings settings;
    private final Clock clock;

    public RetentionPruner(Jdbi jdbi, RetentionSettings settings, Clock clock) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.clock = clock;
    }

    public synchronized Result pruneNow() {
        Instant now = clock.instant();
        long raw = 0;
        long inbound = 0;
        long messages = 0;
        long events = 0;
        if (settings.rawPayloadDays() > 0) {
            raw = inBatches(PRUNE_RAW, now.minus(Duration.ofDays(settings.rawPayloadDays())), now);
        }
        if (settings.messageBodyDays() > 0) {
            Instant before = now.minus(Duration.ofDays(settings.messageBodyDays()));
            inbound = inBatches(PRUNE_INBOUND, before, now);
            messages = inBatches(PRUNE_MESSAGES, before, now);
            events = inBatches(PRUNE_EVENTS, before, now);
        }
        Result result = new Result(raw, inbound, messages, events);
        LOG.info("Retention prune removed {}", result);
        return result;
    }

    private long inBatches(String sql, Instant before, Instant now) {
        long total = 0;
        while (true) {
            int changed = jdbi.withHandle(handle -> handle.createUpdate(sql).bind("before", before).bind("now", now)
                    .bind("batch", settings.batchSize()).execute());
            total += changed;
            if (changed < settings.batchSize()) {
                return total;
            }
            try {
                Thread.sleep(settings.pause().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return total;
            }
        }
    }
}
