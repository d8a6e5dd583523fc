package dev.gatekit.core.webhooks;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Inbound events; a platform's retry of an event already stored inserts nothing. */
public interface InboundDao {

    /** Returns the new row's id, or empty when this configuration already has the platform's event id. */
    @SqlQuery("INSERT INTO inbound_events (id, project_id, configuration_id, platform, kind, platform_event_id, chat_id, sender_id, "
            + "sender_name, text, attachments, thread_id, reply_to_id, platform_message_id, interaction_kind, interaction_value, "
            + "status, status_detail, raw_payload, received_at, created_at, edit_of) VALUES (:id, :projectId, :configurationId, :platform, "
            + ":kind, :platformEventId, :chatId, :senderId, :senderName, :text, CAST(:attachments AS jsonb), :threadId, :replyToId, "
            + ":platformMessageId, :interactionKind, :interactionValue, :status, :statusDetail, :rawPayload, :receivedAt, :createdAt, :editOf) "
            + "ON CONFLICT (configuration_id, platform_event_id) DO NOTHING RETURNING id")
    Optional<UUID> insert(@BindMethods InboundRecord record);
}
