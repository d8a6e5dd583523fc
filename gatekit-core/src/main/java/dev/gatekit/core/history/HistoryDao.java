package dev.gatekit.core.history;

import static dev.gatekit.core.db.Rows.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The history queries. Each is put together from fixed SQL fragments, one per filter present (so
 * the planner sees plain predicates and picks the index that serves them); user input is only ever
 * bound, never written into the SQL.
 */
final class HistoryDao {

    static final String OUTBOUND_COLUMNS = "m.id, m.state, m.tracking_id, m.created_by, m.created_at, m.updated_at, m.finished_at, "
            + "m.body #>> '{content,text}' AS text";
    static final String INBOUND_COLUMNS = "e.id, e.configuration_id, e.platform, e.kind, e.platform_event_id, e.chat_id, e.sender_id, "
            + "e.sender_name, e.text, e.attachments, e.thread_id, e.reply_to_id, e.platform_message_id, e.interaction_kind, "
            + "e.interaction_value, e.status, e.status_detail, e.received_at, e.created_at, e.body_pruned_at, e.edit_of";

    private HistoryDao() {
    }

    record Row(String direction, UUID id, java.time.Instant createdAt, Map<String, Object> fields) {
    }

    static List<Row> outbound(Handle handle, UUID projectId, HistoryQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + OUTBOUND_COLUMNS + " FROM messages m WHERE m.project_id = :projectId");
        if (q.state() != null) {
            sql.append(" AND m.state = :state");
        }
        appendCommon(sql, "m", q);
        if (q.platform() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM message_targets t WHERE t.message_id = m.id AND t.platform = :platform)");
        }
        if (q.chat() != null) {
            sql.append(" AND m.id IN (SELECT t.message_id FROM message_targets t WHERE t.target_id = :chat)");
        }
        sql.append(" ORDER BY m.created_at DESC, m.id DESC LIMIT :limit");
        Query query = bind(handle.createQuery(sql.toString()), projectId, q);
        return query.map((rs, ctx) -> outboundRow(rs)).list();
    }

    static List<Row> inbound(Handle handle, UUID projectId, HistoryQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + INBOUND_COLUMNS + " FROM inbound_events e WHERE e.project_id = :projectId");
        if (q.platform() != null) {
            sql.append(" AND e.platform = :platform");
        }
        if (q.chat() != null) {
            sql.append(" AND e.chat_id = :chat");
        }
        appendCommon(sql, "e", q);
        sql.append(" ORDER BY e.created_at DESC, e.id DESC LIMIT :limit");
        Query query = bind(handle.createQuery(sql.toString()), projectId, q);
        return query.map((rs, ctx) -> inboundRow(rs)).list();
    }

    static Optional<Row> outboundById(Handle handle, UUID projectId, UUID id) {
        return handle.createQuery("SELECT " + OUTBOUND_COLUMNS + " FROM messages m WHERE m.project_id = :projectId AND m.id = :id")
                .bind("projectId", projectId).bind("id", id).map((rs, ctx) -> outboundRow(rs)).findOne();
    }

    static Optional<Row> inboundById(Handle handle, UUID projectId, UUID id) {
        return handle.createQuery("SELECT " + INBOUND_COLUMNS + ", e.raw_payload FROM inbound_events e "
                        + "WHERE e.project_id = :projectId AND e.id = :id")
                .bind("projectId", projectId).bind("id", id).map((rs, ctx) -> {
                    Row row = inboundRow(rs);
                    row.fields().put("rawPayload", rs.getString("raw_payload"));
                    return row;
                }).findOne();
    }

    /** The targets of the given messages, in order, by message id. */
    static Map<UUID, List<Map<String, Object>>> targets(Handle handle, List<UUID> messageIds) {
        Map<UUID, List<Map<String, Object>>> byMessage = new LinkedHashMap<>();
        if (messageIds.isEmpty()) {
            return byMessage;
        }
        handle.createQuery("SELECT id, message_id, configuration_id, platform, target_type, target_id, state, attempts, last_error, "
                        + "reason_code, platform_message_ids, delivered_at FROM message_targets WHERE message_id IN (<ids>) "
                        + "ORDER BY message_id, position")
                .bindList("ids", messageIds)
                .map((rs, ctx) -> {
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("id", rs.getObject("id", UUID.class).toString());
                    t.put("platform", rs.getString("platform"));
                    t.put("configurationId", rs.getObject("configuration_id", UUID.class).toString());
                    t.put("type", rs.getString("target_type"));
                    t.put("targetId", rs.getString("target_id"));
                    t.put("state", rs.getString("state"));
                    t.put("attempts", rs.getInt("attempts"));
                    String ids = rs.getString("platform_message_ids");
                    t.put("platformMessageIds", ids == null || ids.isEmpty() ? List.of() : List.of(ids.split("\n")));
                    t.put("error", rs.getString("last_error"));
                    t.put("reasonCode", rs.getString("reason_code"));
                    java.time.Instant delivered = instant(rs, "delivered_at");
                    t.put("deliveredAt", delivered == null ? null : delivered.toString());
                    return Map.entry(rs.getObject("message_id", UUID.class), t);
                })
                .forEach(e -> byMessage.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return byMessage;
    }

    private static void appendCommon(StringBuilder sql, String alias, HistoryQuery q) {
        if (q.from() != null) {
            sql.append(" AND ").append(alias).append(".created_at >= :from");
        }
        if (q.to() != null) {
            sql.append(" AND ").append(alias).append(".created_at < :to");
        }
        if (q.after().isPresent()) {
            sql.append(" AND (").append(alias).append(".created_at, ").append(alias).append(".id) < (:afterAt, :afterId)");
        }
    }

    private static Query bind(Query query, UUID projectId, HistoryQuery q) {
        query.bind("projectId", projectId).bind("limit", q.limit() + 1);
        if (q.state() != null) {
            query.bind("state", q.state());
        }
        if (q.platform() != null) {
            query.bind("platform", q.platform());
        }
        if (q.chat() != null) {
            query.bind("chat", q.chat());
        }
        if (q.from() != null) {
            query.bind("from", q.from());
        }
        if (q.to() != null) {
            query.bind("to", q.to());
        }
        q.after().ifPresent(c -> query.bind("afterAt", c.createdAt()).bind("afterId", c.id()));
        return query;
    }

    private static Row outboundRow(ResultSet rs) throws SQLException {
        Map<String, Object> f = new LinkedHashMap<>();
        UUID id = rs.getObject("id", UUID.class);
        java.time.Instant createdAt = instant(rs, "created_at");
        f.put("id", id.toString());
        f.put("direction", "outbound");
        f.put("kind", "message");
        f.put("state", rs.getString("state"));
        f.put("text", rs.getString("text"));
        f.put("trackingId", rs.getString("tracking_id"));
        f.put("createdBy", rs.getString("created_by"));
        f.put("createdAt", createdAt.toString());
        f.put("updatedAt", instant(rs, "updated_at").toString());
        java.time.Instant finished = instant(rs, "finished_at");
        f.put("finishedAt", finished == null ? null : finished.toString());
        return new Row("outbound", id, createdAt, f);
    }

    private static Row inboundRow(ResultSet rs) throws SQLException {
        Map<String, Object> f = new LinkedHashMap<>();
        UUID id = rs.getObject("id", UUID.class);
        java.time.Instant createdAt = instant(rs, "created_at");
        String kind = rs.getString("kind");
        f.put("id", id.toString());
        f.put("direction", "inbound");
        f.put("kind", kind);
        f.put("state", "received");
        f.put("platform", rs.getString("platform"));
        f.put("configurationId", rs.getObject("configuration_id", UUID.class).toString());
        f.put("platformEventId", rs.getString("platform_event_id"));
        f.put("chatId", rs.getString("chat_id"));
        if (rs.getString("sender_id") != null || rs.getString("sender_name") != null) {
            Map<String, Object> sender = new LinkedHashMap<>();
            sender.put("id", rs.getString("sender_id"));
            sender.put("name", rs.getString("sender_name"));
            f.put("sender", sender);
        }
        switch (kind) {
            case "message" -> {
                f.put("text", rs.getString("text"));
                String attachments = rs.getString("attachments");
                f.put("attachments", attachments == null ? List.of() : dev.gatekit.core.webhooks.InboundStore.readList(attachments));
                f.put("threadId", rs.getString("thread_id"));
                f.put("replyToId", rs.getString("reply_to_id"));
                f.put("editOf", rs.getString("edit_of"));
            }
            case "interaction" -> {
                f.put("interaction", rs.getString("interaction_kind"));
                f.put("value", rs.getString("interaction_value"));
            }
            default -> {
                f.put("status", rs.getString("status"));
                f.put("detail", rs.getString("status_detail"));
            }
        }
        f.put("platformMessageId", rs.getString("platform_message_id"));
        f.put("receivedAt", instant(rs, "received_at").toString());
        f.put("createdAt", createdAt.toString());
        f.put("pruned", rs.getTimestamp("body_pruned_at") != null);
        return new Row("inbound", id, createdAt, f);
    }
}
