package dev.gatekit.core.messages;

import static dev.gatekit.core.db.Rows.instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Each target's delivery attempts as the finisher logged them, for the status and history views.
 * Read only by those views, so the delivery path writes the log within its batched outcome statement
 * and never reads it.
 */
public final class DeliveryAttempts {

    /** The most recent attempts shown per target (a rate-limited target may wait many times). */
    public static final int SHOWN_PER_TARGET = 20;

    /**
     * One attempt.
     *
     * @param attempt        the target's attempt number (a wait the platform asked for does not count, so it repeats the number)
     * @param outcome        {@code delivered}, {@code retry} or {@code failed}
     * @param platformStatus what the platform answered (an HTTP status), when the plugin reported it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(int attempt, Instant startedAt, Instant finishedAt, String outcome, String reasonCode, String error,
                          Integer platformStatus) {
    }

    private DeliveryAttempts() {
    }

    /** The latest attempts of each target, oldest first, by target id; one query for them all. */
    public static Map<UUID, List<Attempt>> of(Handle handle, Collection<UUID> targetIds) {
        Map<UUID, List<Attempt>> byTarget = new HashMap<>();
        if (targetIds.isEmpty()) {
            return byTarget;
        }
        handle.createQuery("""
                        SELECT target_id, attempt, started_at, finished_at, outcome, reason_code, error, platform_status FROM (
                            SELECT a.*, row_number() OVER (PARTITION BY target_id ORDER BY id DESC) AS newest
                            FROM delivery_attempts a WHERE target_id = ANY(:ids)) latest
                        WHERE newest <= :shown ORDER BY target_id, newest DESC""")
                .bind("ids", targetIds.toArray(UUID[]::new))
                .bind("shown", SHOWN_PER_TARGET)
                .map((rs, ctx) -> Map.entry(rs.getObject("target_id", UUID.class), new Attempt(rs.getInt("attempt"),
                        instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("outcome"), rs.getString("reason_code"),
                        rs.getString("error"), rs.getObject("platform_status", Integer.class))))
                .forEach(e -> byTarget.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return byTarget;
    }
}
