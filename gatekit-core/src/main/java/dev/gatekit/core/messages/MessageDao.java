package dev.gatekit.core.messages;

import static dev.gatekit.core.db.Rows.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
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
    /** The message's columns beside a target's in one row, each named {@code m_<column>}. */
    String PREFIXED_MESSAGE_COLUMNS = "m.id AS m_id, m.project_id AS m_project_id, m.state AS m_state, m.priority AS m_priority, "
            + "m.body AS m_body, m.tracking_id AS m_tracking_id, m.idempotency_key AS m_idempotency_key, "
            + "m.request_hash AS m_request_hash, m.created_by AS m_created_by, m.scheduled_at AS m_scheduled_at, "
            + "m.created_at AS m_created_at, m.updated_at AS m_updated_at, m.processed_at AS m_processed_at, "
            + "m.finished_at AS m_finished_at";

    /**
     * Inserts a batch of messages in one statement. A message whose idempotency key its project
     * already used is skipped, not an error: only the ids that were inserted come back.
     */
    @SqlQuery("""
            INSERT INTO messages (id, project_id, state, priority, body, tracking_id, idempotency_key, request_hash, created_by,
                                  scheduled_at, created_at, updated_at)
            SELECT v.id, v.project_id, v.state, v.priority, CAST(v.body AS jsonb), v.tracking_id, v.idempotency_key, v.request_hash,
                   v.created_by, v.scheduled_at, v.created_at, v.created_at
            FROM unnest(:ids, :projectIds, :states, :priorities, :bodies, :trackingIds, :idempotencyKeys, :requestHashes,
                        :createdBy, :scheduledAt, :createdAt)
                 AS v(id, project_id, state, priority, body, tracking_id, idempotency_key, request_hash, created_by, scheduled_at,
                      created_at)
            ON CONFLICT (project_id, idempotency_key) DO NOTHING
            RETURNING id""")
    List<UUID> insertMessages(@Bind("ids") UUID[] ids, @Bind("projectIds") UUID[] projectIds, @Bind("states") String[] states,
                              @Bind("priorities") Integer[] priorities, @Bind("bodies") String[] bodies,
                              @Bind("trackingIds") String[] trackingIds, @Bind("idempotencyKeys") String[] idempotencyKeys,
                              @Bind("requestHashes") String[] requestHashes, @Bind("createdBy") String[] createdBy,
                              @Bind("scheduledAt") Instant[] scheduledAt, @Bind("createdAt") Instant[] createdAt);

    @SqlUpdate("""
            INSERT INTO message_targets (id, message_id, position, configuration_id, platform, target_type, target_id, state,
                                         next_attempt_at, updated_at)
            SELECT v.*, CAST(:now AS timestamptz)
            FROM unnest(:ids, :messageIds, :positions, :configurationIds, :platforms, :targetTypes, :targetIds, :states, :nextAttemptAt)
                 AS v(id, message_id, position, configuration_id, platform, target_type, target_id, state, next_attempt_at)""")
    void insertTargets(@Bind("ids") UUID[] ids, @Bind("messageIds") UUID[] messageIds, @Bind("positions") Integer[] positions,
                       @Bind("configurationIds") UUID[] configurationIds, @Bind("platforms") String[] platforms,
                       @Bind("targetTypes") String[] targetTypes, @Bind("targetIds") String[] targetIds, @Bind("states") String[] states,
                       @Bind("nextAttemptAt") Instant[] nextAttemptAt, @Bind("now") Instant now);

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

    /** What the plugins' receipts said about a message's targets, by target id; only for the status (claims never read it). */
    @SqlQuery("SELECT id, details::text AS details FROM message_targets WHERE message_id = :messageId AND details IS NOT NULL")
    @KeyColumn("id")
    @ValueColumn("details")
    Map<UUID, String> receiptDetailsOf(@Bind("messageId") UUID messageId);

    @SqlQuery("SELECT " + TARGET_COLUMNS + " FROM message_targets WHERE id = :id")
    Optional<TargetRecord> findTarget(@Bind("id") UUID id);

    @SqlQuery("SELECT message_id FROM message_targets WHERE id = :id")
    Optional<UUID> messageIdOf(@Bind("id") UUID targetId);

    /**
     * Takes due targets for {@code owner} until {@code leaseUntil}, counting the attempt about to be
     * made, and reads their messages, in one statement. A target another transaction is changing
     * right now is skipped rather than waited for; so is one that is not due or no longer pending.
     * ({@code state || ''} keeps the planner on the primary key: the ids name the rows, and with
     * statistics older than a fresh backlog it would otherwise scan every pending target.)
     */
    @SqlQuery("""
            WITH claimable AS (
                SELECT id FROM message_targets
                WHERE id = ANY(:ids) AND state || '' IN ('queued', 'delayed')
                    AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
                ORDER BY id FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE message_targets t SET state = 'active', attempts = t.attempts + 1, lease_owner = :owner,
                    lease_expires_at = :leaseUntil, updated_at = :now
                FROM claimable c WHERE t.id = c.id
                RETURNING t.*),
            started AS (
                UPDATE messages m SET state = 'active', updated_at = :now, processed_at = COALESCE(m.processed_at, :now)
                WHERE m.id IN (SELECT message_id FROM claimed) AND m.state IN ('queued', 'delayed', 'waiting'))
            SELECT t.*, """ + PREFIXED_MESSAGE_COLUMNS + " FROM claimed t JOIN messages m ON m.id = t.message_id")
    @RegisterRowMapper(ClaimedMapper.class)
    List<MessageStore.Claimed> claim(@Bind("ids") UUID[] ids, @Bind("owner") String owner, @Bind("leaseUntil") Instant leaseUntil,
                                     @Bind("now") Instant now);

    /** Where targets that a claim skipped stand, so none of them is dropped from the queue by mistake. */
    @SqlQuery("SELECT " + PENDING_COLUMNS + " FROM message_targets t JOIN messages m ON m.id = t.message_id WHERE t.id = ANY(:ids)")
    @RegisterRowMapper(PendingTargetMapper.class)
    List<PendingTarget> standing(@Bind("ids") UUID[] ids);

    /**
     * Records the outcomes of held targets: each target's new state, its attempt in the log, and,
     * for a message of one target, the message's state, in one statement. A target whose lease
     * {@code owner} lost (it expired and another worker took it) is left alone and not returned.
     * An attempt not {@code counted} (a wait the platform asked for) gives the claim's count back;
     * a success keeps the error of the attempt before it, for the record.
     */
    @SqlQuery("""
            WITH outcome AS (
                SELECT * FROM unnest(:ids, :states, :nextAttemptAt, :errors, :reasonCodes, :platformMessageIds, :details,
                                     :deliveredAt, :startedAt, :outcomes, :onlyTarget, :platformStatuses, :counted)
                    AS o(id, state, next_attempt_at, error, reason_code, platform_message_ids, details, delivered_at, started_at,
                         outcome, only_target, platform_status, counted)),
            finished AS (
                UPDATE message_targets t SET state = o.state, next_attempt_at = o.next_attempt_at,
                    last_error = COALESCE(o.error, t.last_error), reason_code = o.reason_code,
                    attempts = CASE WHEN o.counted THEN t.attempts ELSE t.attempts - 1 END,
                    platform_message_ids = COALESCE(o.platform_message_ids, t.platform_message_ids),
                    details = COALESCE(CAST(o.details AS jsonb), t.details),
                    delivered_at = o.delivered_at, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                FROM outcome o WHERE t.id = o.id AND t.lease_owner = :owner AND t.state = 'active'
                RETURNING t.*, o.started_at, o.outcome, o.only_target, o.platform_message_ids AS attempt_message_ids,
                    o.error AS attempt_error, o.platform_status, o.counted),
            logged AS (
                INSERT INTO delivery_attempts (target_id, attempt, worker, started_at, finished_at, outcome, error, reason_code,
                                               platform_message_ids, platform_status)
                SELECT id, CASE WHEN counted THEN attempts ELSE attempts + 1 END, :owner, started_at, CAST(:now AS timestamptz),
                    outcome, attempt_error, reason_code, attempt_message_ids, platform_status
                FROM finished),
            settled AS (
                UPDATE messages m SET state = f.state, updated_at = :now,
                    finished_at = CASE WHEN f.state IN ('delivered', 'failed') THEN CAST(:now AS timestamptz) END
                FROM finished f WHERE m.id = f.message_id AND f.only_target)
            SELECT * FROM finished""")
    List<TargetRecord> finish(@Bind("ids") UUID[] ids, @Bind("states") String[] states, @Bind("nextAttemptAt") Instant[] nextAttemptAt,
                              @Bind("errors") String[] errors, @Bind("reasonCodes") String[] reasonCodes,
                              @Bind("platformMessageIds") String[] platformMessageIds, @Bind("details") String[] details,
                              @Bind("deliveredAt") Instant[] deliveredAt,
                              @Bind("startedAt") Instant[] startedAt, @Bind("outcomes") String[] outcomes,
                              @Bind("onlyTarget") Boolean[] onlyTarget, @Bind("platformStatuses") Integer[] platformStatuses,
                              @Bind("counted") Boolean[] counted, @Bind("owner") String owner, @Bind("now") Instant now);

    /**
     * Hands held targets back without an attempt (the claim's count is taken back): to wait for a
     * time, a plugin, a setting or a resume; a reason given replaces the target's (null keeps it).
     */
    @SqlQuery("""
            UPDATE message_targets t SET state = r.state, next_attempt_at = r.next_attempt_at, attempts = t.attempts - 1,
                reason_code = COALESCE(r.reason_code, t.reason_code), last_error = COALESCE(r.error, t.last_error),
                lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
            FROM unnest(:ids, :states, :nextAttemptAt, :reasonCodes, :errors) AS r(id, state, next_attempt_at, reason_code, error)
            WHERE t.id = r.id AND t.lease_owner = :owner AND t.state = 'active'
            RETURNING t.*""")
    List<TargetRecord> release(@Bind("ids") UUID[] ids, @Bind("states") String[] states, @Bind("nextAttemptAt") Instant[] nextAttemptAt,
                               @Bind("reasonCodes") String[] reasonCodes, @Bind("errors") String[] errors,
                               @Bind("owner") String owner, @Bind("now") Instant now);

    /** Locks messages in id order, so two transactions that both lock several never deadlock. */
    @SqlQuery("SELECT id FROM messages WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
    List<UUID> lockMessages(@Bind("ids") UUID[] ids);

    /** Recomputes messages' states from their targets'; call with the message rows locked. */
    @SqlUpdate("""
            UPDATE messages m SET state = agg.state, updated_at = :now,
                processed_at = CASE WHEN agg.attempted THEN COALESCE(m.processed_at, :now) ELSE m.processed_at END,
                finished_at = CASE WHEN agg.state IN ('delivered', 'failed') THEN COALESCE(m.finished_at, :now) ELSE NULL END
            FROM (SELECT message_id, CASE
                    WHEN bool_and(state = 'delivered') THEN 'delivered'
                    WHEN bool_and(state IN ('delivered', 'failed')) THEN 'failed'
                    WHEN bool_or(state = 'active') THEN 'active'
                    WHEN bool_or(state = 'queued') THEN 'queued'
                    WHEN bool_or(state = 'delayed') THEN 'delayed'
                    ELSE 'waiting' END AS state,
                  bool_or(attempts > 0 OR state = 'active') AS attempted
                  FROM message_targets WHERE message_id = ANY(:ids) GROUP BY message_id) agg
            WHERE m.id = agg.message_id""")
    void refreshStates(@Bind("ids") UUID[] messageIds, @Bind("now") Instant now);

    /** Gives targets whose holder's lease ran out (it died, or lost Postgres) back to the queue. */
    @SqlQuery("UPDATE message_targets t SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now "
            + "FROM messages m WHERE m.id = t.message_id AND t.state = 'active' AND t.lease_expires_at < :now RETURNING " + PENDING_COLUMNS)
    @RegisterRowMapper(PendingTargetMapper.class)
    List<PendingTarget> expireLeases(@Bind("now") Instant now);

    /**
     * Pending targets of one state in id order after {@code after}: the sweeper pages through them to
     * put every one back in Redis when Redis may have lost them.
     */
    @SqlQuery("SELECT " + PENDING_COLUMNS + " FROM message_targets t JOIN messages m ON m.id = t.message_id "
            + "WHERE t.state = :state AND t.id > :after ORDER BY t.id LIMIT :limit")
    @RegisterRowMapper(PendingTargetMapper.class)
    List<PendingTarget> pendingAfter(@Bind("state") String state, @Bind("after") UUID after, @Bind("limit") int limit);

    /** Keeps this process's leases alive while its sends are in flight. */
    @SqlUpdate("UPDATE message_targets SET lease_expires_at = :leaseUntil WHERE id = ANY(:ids) AND lease_owner = :owner "
            + "AND state = 'active'")
    int renewLeases(@Bind("ids") UUID[] ids, @Bind("owner") String owner, @Bind("leaseUntil") Instant leaseUntil);

    /** What it takes to put a target back in Redis. */
    record PendingTarget(UUID id, UUID messageId, TargetState state, Instant nextAttemptAt, UUID configurationId, Priority priority) {
    }

    String PENDING_COLUMNS = "t.id, t.message_id, t.state, t.next_attempt_at, t.configuration_id, m.priority";

    class PendingTargetMapper implements RowMapper<PendingTarget> {
        @Override
        public PendingTarget map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new PendingTarget(rs.getObject("id", UUID.class), rs.getObject("message_id", UUID.class),
                    TargetState.parse(rs.getString("state")),
                    instant(rs, "next_attempt_at"), rs.getObject("configuration_id", UUID.class), Priority.ofRank(rs.getInt("priority")));
        }
    }

    /**
     * Moves targets waiting on these platforms back to queued: those waiting for the plugin, and with
     * {@code incompleteToo} those waiting for a setting their configuration lacks (a new plugin may not
     * need it). One waiting for a setting of a configuration since deleted or switched off goes too, to
     * fail as such rather than wait for good.
     */
    @SqlQuery("UPDATE message_targets t SET state = 'queued', reason_code = NULL, updated_at = :now FROM messages m "
            + "WHERE m.id = t.message_id AND t.state = 'waiting' AND t.platform IN (<platforms>) "
            + "AND (:incompleteToo OR t.reason_code IS DISTINCT FROM '" + MessageStore.CONFIGURATION_INCOMPLETE + "' "
            + "OR NOT EXISTS (SELECT 1 FROM platform_configurations c WHERE c.id = t.configuration_id AND c.is_active)) "
            + "RETURNING " + PENDING_COLUMNS)
    @RegisterRowMapper(PendingTargetMapper.class)
    List<PendingTarget> wakeWaiting(@BindList("platforms") List<String> platforms, @Bind("incompleteToo") boolean incompleteToo,
                                    @Bind("now") Instant now);

    /** Moves a configuration's targets that waited for a setting it lacked back to queued. */
    @SqlQuery("UPDATE message_targets t SET state = 'queued', reason_code = NULL, updated_at = :now FROM messages m "
            + "WHERE m.id = t.message_id AND t.state = 'waiting' AND t.configuration_id = :configurationId "
            + "AND t.reason_code = '" + MessageStore.CONFIGURATION_INCOMPLETE + "' RETURNING " + PENDING_COLUMNS)
    @RegisterRowMapper(PendingTargetMapper.class)
    List<PendingTarget> wakeIncomplete(@Bind("configurationId") UUID configurationId, @Bind("now") Instant now);

    @SqlQuery("UPDATE message_targets SET state = 'queued', attempts = 0, next_attempt_at = NULL, last_error = NULL, "
            + "reason_code = NULL, updated_at = :now WHERE message_id = :messageId AND state = 'failed' RETURNING " + TARGET_COLUMNS)
    List<TargetRecord> requeueFailedTargets(@Bind("messageId") UUID messageId, @Bind("now") Instant now);

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
            return read(rs, "");
        }

        static MessageRecord read(ResultSet rs, String prefix) throws SQLException {
            return new MessageRecord(
                    rs.getObject(prefix + "id", UUID.class),
                    rs.getObject(prefix + "project_id", UUID.class),
                    TargetState.parse(rs.getString(prefix + "state")),
                    Priority.ofRank(rs.getInt(prefix + "priority")),
                    rs.getString(prefix + "body"),
                    rs.getString(prefix + "tracking_id"),
                    rs.getString(prefix + "idempotency_key"),
                    rs.getString(prefix + "request_hash"),
                    rs.getString(prefix + "created_by"),
                    instant(rs, prefix + "scheduled_at"),
                    instant(rs, prefix + "created_at"),
                    instant(rs, prefix + "updated_at"),
                    instant(rs, prefix + "processed_at"),
                    instant(rs, prefix + "finished_at"));
        }
    }

    /** A claimed target with its message, from {@link #claim}. */
    class ClaimedMapper implements RowMapper<MessageStore.Claimed> {
        private final TargetMapper targets = new TargetMapper();

        @Override
        public MessageStore.Claimed map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new MessageStore.Claimed(targets.map(rs, ctx), MessageMapper.read(rs, "m_"));
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
