package dev.gatekit.core.events;

import static dev.gatekit.core.db.Rows.instant;

import java.sql.Array;
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
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Endpoints, events and their deliveries. A delivery moves on only under its lease, as message targets do. */
@RegisterRowMapper(EventDao.EndpointMapper.class)
@RegisterRowMapper(EventDao.DeliveryMapper.class)
@RegisterRowMapper(EventDao.EventMapper.class)
public interface EventDao {

    String ENDPOINT_COLUMNS = "id, project_id, url, description, kinds, secret_ciphertext, is_active, created_at, updated_at";
    String DELIVERY_COLUMNS = "id, event_id, endpoint_id, state, attempts, next_attempt_at, lease_owner, lease_expires_at, "
            + "last_status_code, last_error, created_at, updated_at, delivered_at";

    @SqlUpdate("INSERT INTO event_endpoints (" + ENDPOINT_COLUMNS + ") VALUES (:id, :projectId, :url, :description, :kinds, "
            + ":secret, :isActive, :now, :now)")
    void insertEndpoint(@Bind("id") UUID id, @Bind("projectId") UUID projectId, @Bind("url") String url,
                        @Bind("description") String description, @Bind("kinds") String[] kinds, @Bind("secret") String secretCiphertext,
                        @Bind("isActive") boolean isActive, @Bind("now") Instant now);

    @SqlUpdate("UPDATE event_endpoints SET url = :url, description = :description, kinds = :kinds, secret_ciphertext = :secret, "
            + "is_active = :isActive, updated_at = :now WHERE id = :id")
    int updateEndpoint(@Bind("id") UUID id, @Bind("url") String url, @Bind("description") String description,
                       @Bind("kinds") String[] kinds, @Bind("secret") String secretCiphertext, @Bind("isActive") boolean isActive,
                       @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM event_endpoints WHERE id = :id")
    int deleteEndpoint(@Bind("id") UUID id);

    @SqlQuery("SELECT " + ENDPOINT_COLUMNS + " FROM event_endpoints WHERE project_id = :projectId ORDER BY created_at, id")
    List<EventEndpoint> endpointsOf(@Bind("projectId") UUID projectId);

    @SqlQuery("SELECT " + ENDPOINT_COLUMNS + " FROM event_endpoints WHERE project_id = :projectId AND is_active "
            + "AND (:kind = ANY(kinds) OR '*' = ANY(kinds)) ORDER BY created_at, id")
    List<EventEndpoint> activeEndpointsFor(@Bind("projectId") UUID projectId, @Bind("kind") String kind);

    @SqlQuery("SELECT " + ENDPOINT_COLUMNS + " FROM event_endpoints WHERE id = :id")
    Optional<EventEndpoint> findEndpoint(@Bind("id") UUID id);

    @SqlUpdate("INSERT INTO events (id, project_id, kind, payload, created_at) VALUES (:id, :projectId, :kind, CAST(:payload AS jsonb), :now)")
    void insertEvent(@Bind("id") UUID id, @Bind("projectId") UUID projectId, @Bind("kind") String kind, @Bind("payload") String payload,
                     @Bind("now") Instant now);

    @SqlQuery("SELECT id, project_id, kind, payload, created_at FROM events WHERE id = :id")
    Optional<StoredEvent> findEvent(@Bind("id") UUID id);

    @SqlUpdate("INSERT INTO event_deliveries (id, event_id, endpoint_id, state, created_at, updated_at) "
            + "VALUES (:id, :eventId, :endpointId, 'pending', :now, :now)")
    void insertDelivery(@Bind("id") UUID id, @Bind("eventId") UUID eventId, @Bind("endpointId") UUID endpointId, @Bind("now") Instant now);

    @SqlQuery("SELECT " + DELIVERY_COLUMNS + " FROM event_deliveries WHERE id = :id")
    Optional<EventDelivery> findDelivery(@Bind("id") UUID id);

    /** The delivery log, newest first, keyset-paginated on (created_at, id). */
    @SqlQuery("SELECT " + DELIVERY_COLUMNS + " FROM event_deliveries WHERE endpoint_id = :endpointId "
            + "AND (CAST(:beforeAt AS timestamptz) IS NULL OR (created_at, id) < (CAST(:beforeAt AS timestamptz), CAST(:beforeId AS uuid))) "
            + "ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<EventDelivery> deliveriesOf(@Bind("endpointId") UUID endpointId, @Bind("beforeAt") Instant beforeAt,
                                     @Bind("beforeId") UUID beforeId, @Bind("limit") int limit);

    /** Takes a due delivery and counts the attempt; no row when another sender holds it or it is not due. */
    @SqlQuery("UPDATE event_deliveries SET state = 'active', attempts = attempts + 1, lease_owner = :worker, "
            + "lease_expires_at = :leaseUntil, updated_at = :now WHERE id = :id AND state = 'pending' "
            + "AND (next_attempt_at IS NULL OR next_attempt_at <= :now) RETURNING " + DELIVERY_COLUMNS)
    Optional<EventDelivery> claim(@Bind("id") UUID id, @Bind("worker") String worker, @Bind("leaseUntil") Instant leaseUntil,
                                  @Bind("now") Instant now);

    /** Records an attempt's outcome; only the lease holder can, so a re-taken delivery is never overwritten. */
    @SqlUpdate("UPDATE event_deliveries SET state = :state, next_attempt_at = :nextAttemptAt, last_status_code = :statusCode, "
            + "last_error = :error, delivered_at = :deliveredAt, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now "
            + "WHERE id = :id AND lease_owner = :worker AND state = 'active'")
    int finish(@Bind("id") UUID id, @Bind("worker") String worker, @Bind("state") String state,
               @Bind("nextAttemptAt") Instant nextAttemptAt, @Bind("statusCode") Integer statusCode, @Bind("error") String error,
               @Bind("deliveredAt") Instant deliveredAt, @Bind("now") Instant now);

    @SqlQuery("UPDATE event_deliveries SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now "
            + "WHERE state = 'active' AND lease_expires_at < :now RETURNING id")
    List<UUID> expireLeases(@Bind("now") Instant now);

    /** Due deliveries that have waited longer than they should: Redis may have lost them. */
    @SqlQuery("SELECT id FROM event_deliveries WHERE state = 'pending' AND updated_at < :before "
            + "AND (next_attempt_at IS NULL OR next_attempt_at < :before) ORDER BY updated_at LIMIT :limit")
    List<UUID> pendingSince(@Bind("before") Instant before, @Bind("limit") int limit);

    class EndpointMapper implements RowMapper<EventEndpoint> {
        @Override
        public EventEndpoint map(ResultSet rs, StatementContext ctx) throws SQLException {
            Array kinds = rs.getArray("kinds");
            return new EventEndpoint(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class), rs.getString("url"),
                    rs.getString("description"), Arrays.asList((String[]) kinds.getArray()), rs.getString("secret_ciphertext"),
                    rs.getBoolean("is_active"), instant(rs, "created_at"), instant(rs, "updated_at"));
        }
    }

    class DeliveryMapper implements RowMapper<EventDelivery> {
        @Override
        public EventDelivery map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new EventDelivery(rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class),
                    rs.getObject("endpoint_id", UUID.class), rs.getString("state"), rs.getInt("attempts"),
                    instant(rs, "next_attempt_at"), rs.getString("lease_owner"), instant(rs, "lease_expires_at"),
                    rs.getObject("last_status_code", Integer.class), rs.getString("last_error"), instant(rs, "created_at"),
                    instant(rs, "updated_at"), instant(rs, "delivered_at"));
        }
    }

    class EventMapper implements RowMapper<StoredEvent> {
        @Override
        public StoredEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredEvent(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class), rs.getString("kind"),
                    rs.getString("payload"), instant(rs, "created_at"));
        }
    }
}
