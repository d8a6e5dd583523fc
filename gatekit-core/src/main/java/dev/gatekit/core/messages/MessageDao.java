package dev.gatekit.core.messages;

import static dev.gatekit.core.db.Rows.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Messages and their targets. Every change of a target's state goes through
 * {@link MessageStore}, which locks the message row first so the aggregate state stays true
 * when several workers finish targets of one message at once.
 */
@RegisterRowMapper(MessageDao.MessageMapper.class)
@RegisterRowMapper(MessageDao.TargetMapper.class)
public interface MessageDao {

    String TARGET_COLUMNS = "id, message_id, position, configuration_id, platform, target_type, target_id, state, attempts, "
            + "next_attempt_at, lease_owner, lease_expires_at, last_error, reason_code, platform_message_ids, delivered_at, updated_at";
    String MESSAGE_COLUMNS = "id, project_id, state, priority, body, tracking_id, idempotency_key, request_hash, created_by, "
            + "scheduled_at, created_at, updated_at, processed_at, finished_at";

    @SqlUpdate("INSERT INTO messages (" + MESSAGE_COLUMNS + ") VALUES (:id, :projectId, :state, :priority, CAST(:body AS jsonb), "
            + ":trackingId, :idempotencyKey, :requestHash, :createdBy, :scheduledAt, :createdAt, :createdAt, NULL, NULL)")
    void insertMessage(@Bind("id") UUID id, @Bind("projectId") UUID projectId, @Bind("state") String state,
                       @Bind("priority") int priority, @Bind("body") String body, @Bind("trackingId") String trackingId,
                       @Bind("idempotencyKey") String idempotencyKey, @Bind("requestHash") String requestHash,
                       @Bind("createdBy") String createdBy, @Bind("scheduledAt") Instant scheduledAt,
                       @Bind("createdAt") Instant createdAt);

    @SqlUpdate("INSERT INTO message_targets (id, message_id, position, configuration_id, platform, target_type, target_id, "
            + "state, next_attempt_at, updated_at) VALUES (:id, :messageId, :position, :configurationId, :platform, "
            + ":targetType, :targetId, :state, :nextAttemptAt, :now)")
    void insertTarget(@Bind("id") UUID id, @Bind("messageId") UUID messageId, @Bind("position") int position,
                      @Bind("configurationId") UUID configurationId, @Bind("platform") String platform,
                      @Bind("targetType") String targetType, @Bind("targetId") String targetId, @Bind("state") String state,
                      @Bind("nextAttemptAt") Instant nextAttemptAt, @Bind("now") Instant now);

    @SqlQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = :id AND project_id = :projectId")
    Optional<MessageRecord> findMessage(@Bind("projectId") UUID projectId, @Bind("id") UUID id);

    @SqlQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = :id")
    Optional<MessageRecord> findMessage(@Bind("id") UUID id);

    @SqlQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE project_id = :projectId AND idempotency_key = :key")
    Optional<MessageRecord> findByIdempotencyKey(@Bind("projectId") UUID projectId, @Bind("key") String key);

    /** An idempotency key is remembered 24 hours; after that the same key starts a new message. */
    @SqlUpdate("UPDATE messages SET idempotency_key = NULL WHERE project_id = :projectId AND idempotency_key = :key "
            + "AND created_at < :before")
    int forgetIdempotencyKey(@Bind("projectId") UUID projectId, @Bind("key") String key, @Bind("before") Instant before);

    @SqlQuery("SELECT " + TARGET_COLUMNS + " FROM message_targets WHERE message_id = :messageId ORDER BY position")
    List<TargetRecord> targetsOf(@Bind("messageId") UUID messageId);

    @SqlQuery("SELECT " + TARGET_COLUMNS + " FROM message_targets WHERE id = :id")
    Optional<TargetRecord> findTarget(@Bind("id") UUID id);

    @SqlQuery("SELECT message_id FROM message_targets WHERE id = :id")
    Optional<UUID> messageIdOf(@Bind("id") UUID targetId);

    @SqlQuery("SELECT id FROM messages WHERE id = :id FOR UPDATE")
    Optional<UUID> lockMessage(@Bind("id") UUID id);

    /** Takes a due target for one worker; no row when another worker holds it or it is not due. */
    @SqlQuery("UPDATE message_targets SET state = 'active', lease_owner = :worker, lease_expires_at = :leaseUntil, updated_at = :now "
            + "WHERE id = :id AND state IN ('queued', 'delayed') AND (next_attempt_at IS NULL OR next_attempt_at <= :now) "
            + "RETURNING " + TARGET_COLUMNS)
    Optional<TargetRecord> claim(@Bind("id") UUID id, @Bind("worker") String worker, @Bind("leaseUntil") Instant leaseUntil,
                                 @Bind("now") Instant now);

    /** Moves a held target on; only its lease holder can, so an expired and re-taken lease is never overwritten. */
    @SqlUpdate("UPDATE message_targets SET state = :state, next_attempt_at = :nextAttemptAt, lease_owner = NULL, "
            + "lease_expires_at = NULL, updated_at = :now WHERE id = :id AND lease_owner = :worker AND state = 'active'")
    int release(@Bind("id") UUID id, @Bind("worker") String worker, @Bind("state") String state,
                @Bind("nextAttemptAt") Instant nextAttemptAt, @Bind("now") Instant now);

    @SqlQuery("UPDATE message_targets SET attempts = attempts + 1, updated_at = :now WHERE id = :id AND lease_owner = :worker "
            + "AND state = 'active' RETURNING attempts")
    Optional<Integer> countAttempt(@Bind("id") UUID id, @Bind("worker") String worker, @Bind("now") Instant now);

    @SqlQuery("UPDATE message_targets SET state = :state, next_attempt_at = :nextAttemptAt, last_error = :error, "
            + "reason_code = :reasonCode, platform_message_ids = COALESCE(:platformMessageIds, platform_message_ids), "
            + "delivered_at = :deliveredAt, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now "
            + "WHERE id = :id AND lease_owner = :worker AND state = 'active' RETURNING " + TARGET_COLUMNS)
    Optional<TargetRecord> finishAttempt(@Bind("id") UUID id, @Bind("worker") String worker, @Bind("state") String state,
                      @Bind("nextAttemptAt") Instant nextAttemptAt, @Bind("error") String error,
                      @Bind("reasonCode") String reasonCode, @Bind("platformMessageIds") String platformMessageIds,
                      @Bind("deliveredAt") Instant deliveredAt, @Bind("now") Instant now);

    @SqlUpdate("INSERT INTO delivery_attempts (target_id, attempt, worker, started_at, finished_at, outcome, error, reason_code, "
            + "platform_message_ids) VALUES (:targetId, :attempt, :worker, :startedAt, :finishedAt, :outcome, :error, :reasonCode, "
            + ":platformMessageIds)")
    void recordAttempt(@Bind("targetId") UUID targetId, @Bind("attempt") int attempt, @Bind("worker") String worker,
                       @Bind("startedAt") Instant startedAt, @Bind("finishedAt") Instant finishedAt, @Bind("outcome") String outcome,
                       @Bind("error") String error, @Bind("reasonCode") String reasonCode,
                       @Bind("platformMessageIds") String platformMessageIds);

    /** Recomputes a message's state from its targets'; call with the message row locked. */
    @SqlUpdate("""
            UPDATE messages m SET state = agg.state, updated_at = :now,
                processed_at = CASE WHEN agg.attempted THEN COALESCE(m.processed_at, :now) ELSE m.processed_at END,
                finished_at = CASE WHEN agg.state IN ('delivered', 'failed') THEN COALESCE(m.finished_at, :now) ELSE NULL END
            FROM (SELECT CASE
                    WHEN bool_and(state = 'delivered') THEN 'delivered'
                    WHEN bool_and(state IN ('delivered', 'failed')) THEN 'failed'
                    WHEN bool_or(state = 'active') THEN 'active'
                    WHEN bool_or(state = 'queued') THEN 'queued'
                    WHEN bool_or(state = 'delayed') THEN 'delayed'
                    ELSE 'waiting' END AS state,
                  bool_or(attempts > 0 OR state = 'active') AS attempted
                  FROM message_targets WHERE message_id = :id) agg
            WHERE m.id = :id""")
    void refreshState(@Bind("id") UUID messageId, @Bind("now") Instant now);

    @SqlQuery("UPDATE message_targets SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now "
            + "WHERE state = 'active' AND lease_expires_at < :now RETURNING " + TARGET_COLUMNS)
    List<TargetRecord> expireLeases(@Bind("now") Instant now);

    /** Targets that should be in Redis and have sat a while: the sweeper puts them back in case Redis lost them. */
    @SqlQuery("SELECT t.id, m.priority, t.next_attempt_at FROM message_targets t JOIN messages m ON m.id = t.message_id "
            + "WHERE t.state IN ('queued', 'delayed') AND t.updated_at < :before "
            + "AND (t.next_attempt_at IS NULL OR t.next_attempt_at <= :dueBefore) ORDER BY t.updated_at LIMIT :limit")
    @RegisterRowMapper(PendingTargetMapper.class)
    List<PendingTarget> pendingSince(@Bind("before") Instant before, @Bind("dueBefore") Instant dueBefore, @Bind("limit") int limit);

    /** Keeps a worker's lease alive while a slow send is in flight. */
    @SqlUpdate("UPDATE message_targets SET lease_expires_at = :leaseUntil WHERE id = :id AND lease_owner = :worker AND state = 'active'")
    int renewLease(@Bind("id") UUID id, @Bind("worker") String worker, @Bind("leaseUntil") Instant leaseUntil);

    /** What the sweeper needs to put a target back in Redis. */
    record PendingTarget(UUID id, Priority priority, Instant nextAttemptAt) {
    }

    class PendingTargetMapper implements RowMapper<PendingTarget> {
        @Override
        public PendingTarget map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new PendingTarget(rs.getObject(1, UUID.class), Priority.ofRank(rs.getInt(2)), instant(rs, "next_attempt_at"));
        }
    }

    @SqlQuery("UPDATE message_targets SET state = 'queued', updated_at = :now WHERE state = 'waiting' AND platform IN (<platforms>) "
            + "RETURNING " + TARGET_COLUMNS)
    List<TargetRecord> wakeWaiting(@BindList("platforms") List<String> platforms, @Bind("now") Instant now);

    @SqlQuery("UPDATE message_targets t SET state = 'queued', attempts = 0, next_attempt_at = NULL, last_error = NULL, "
            + "reason_code = NULL, updated_at = :now FROM messages m WHERE t.message_id = m.id AND m.id = :messageId "
            + "AND t.state = 'failed' RETURNING t.id")
    List<UUID> requeueFailedTargets(@Bind("messageId") UUID messageId, @Bind("now") Instant now);

    @SqlQuery("SELECT DISTINCT t.message_id FROM message_targets t JOIN messages m ON m.id = t.message_id "
            + "WHERE t.state = 'failed' AND (CAST(:projectId AS uuid) IS NULL OR m.project_id = CAST(:projectId AS uuid)) "
            + "AND (CAST(:platform AS text) IS NULL OR t.platform = CAST(:platform AS text)) LIMIT :limit")
    List<UUID> messagesWithFailedTargets(@Bind("projectId") UUID projectId, @Bind("platform") String platform, @Bind("limit") int limit);

    @SqlQuery("SELECT state, count(*) FROM messages WHERE project_id = :projectId GROUP BY state")
    @RegisterRowMapper(StateCountMapper.class)
    List<StateCount> countByState(@Bind("projectId") UUID projectId);

    @SqlQuery("SELECT count(DISTINCT t.message_id) FROM message_targets t JOIN messages m ON m.id = t.message_id "
            + "WHERE m.project_id = :projectId AND t.state IN ('queued', 'delayed') AND t.platform IN (<platforms>)")
    long countPendingOn(@Bind("projectId") UUID projectId, @BindList("platforms") List<String> platforms);

    record StateCount(String state, long count) {
    }

    class StateCountMapper implements RowMapper<StateCount> {
        @Override
        public StateCount map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StateCount(rs.getString(1), rs.getLong(2));
        }
    }

    class MessageMapper implements RowMapper<MessageRecord> {
        @Override
        public MessageRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new MessageRecord(
                    rs.getObject("id", UUID.class),
                    rs.getObject("project_id", UUID.class),
                    TargetState.parse(rs.getString("state")),
                    Priority.ofRank(rs.getInt("priority")),
                    rs.getString("body"),
                    rs.getString("tracking_id"),
                    rs.getString("idempotency_key"),
                    rs.getString("request_hash"),
                    rs.getString("created_by"),
                    instant(rs, "scheduled_at"),
                    instant(rs, "created_at"),
                    instant(rs, "updated_at"),
                    instant(rs, "processed_at"),
                    instant(rs, "finished_at"));
        }
    }

    class TargetMapper implements RowMapper<TargetRecord> {
        @Override
        public TargetRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
            String ids = rs.getString("platform_message_ids");
            return new TargetRecord(
                    rs.getObject("id", UUID.class),
                    rs.getObject("message_id", UUID.class),
                    rs.getInt("position"),
                    rs.getObject("configuration_id", UUID.class),
                    rs.getString("platform"),
                    rs.getString("target_type"),
                    rs.getString("target_id"),
                    TargetState.parse(rs.getString("state")),
                    rs.getInt("attempts"),
                    instant(rs, "next_attempt_at"),
                    rs.getString("lease_owner"),
                    instant(rs, "lease_expires_at"),
                    rs.getString("last_error"),
                    rs.getString("reason_code"),
                    ids == null || ids.isEmpty() ? List.of() : Arrays.asList(ids.split("\n")),
                    instant(rs, "delivered_at"),
                    instant(rs, "updated_at"));
        }
    }
}
