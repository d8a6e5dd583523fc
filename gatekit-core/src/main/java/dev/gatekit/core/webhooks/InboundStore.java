package dev.gatekit.core.webhooks;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatekit.core.db.NulCharacters;
import dev.gatekit.core.events.EventKinds;
import dev.gatekit.core.events.EventPublisher;
import dev.gatekit.core.json.Json;
import dev.gatekit.core.platforms.StoredPlatformConfiguration;
import dev.gatekit.core.usage.UsageMetric;
import dev.gatekit.core.usage.UsageRecorder;
import dev.gatekit.plugin.api.DeliveryStatusUpdate;
import dev.gatekit.plugin.api.InboundAttachment;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.MessageReceived;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Stores what platforms report, whether it came to the webhook or over a connection a plugin holds:
 * the inbound row and the event deliveries it causes commit in one transaction, so an event that is
 * stored is also sent on; then the deliveries are queued and usage counted. A platform's retry of an
 * event already stored changes nothing.
 */
public class InboundStore {


    private final Jdbi jdbi;
    private final EventPublisher events;
    private final UsageRecorder usage;
    private final Clock clock;

    public InboundStore(Jdbi jdbi, EventPublisher events, UsageRecorder usage, Clock clock) {
        this.jdbi = jdbi;
        this.events = events;
        this.usage = usage;
        this.clock = clock;
    }

    /** Stores one event; returns its id, or empty when it had been stored before. */
    public Optional<UUID> store(StoredPlatformConfiguration configuration, InboundEvent event) {
        InboundRecord record = record(configuration, event, clock.instant());
        String kind = eventKind(event);
        Map<String, Object> data = payload(record);
        Stored stored = jdbi.inTransaction(handle -> {
            Optional<UUID> id = handle.attach(InboundDao.class).insert(record);
            if (id.isEmpty()) {
                return new Stored(Optional.empty(), List.of());
            }
            return new Stored(id, events.record(handle, configuration.projectId(), kind, data));
        });
        if (stored.id().isPresent()) {
            events.enqueue(stored.deliveries());
            if (!(event instanceof DeliveryStatusUpdate)) {
                usage.count(configuration.projectId(), UsageMetric.RECEIVED, configuration.platform(), null, 1);
            }
        }
        return stored.id();
    }

    private record Stored(Optional<UUID> id, List<UUID> deliveries) {
    }

    static String eventKind(InboundEvent event) {
        if (event instanceof InteractionReceived i) {
            return i.kind() == InteractionReceived.Kind.BUTTON ? EventKinds.BUTTON_CLICKED : EventKinds.COMMAND_RECEIVED;
        }
        return event instanceof DeliveryStatusUpdate ? EventKinds.MESSAGE_STATUS : EventKinds.MESSAGE_RECEIVED;
    }

    static InboundRecord record(StoredPlatformConfiguration c, InboundEvent event, Instant now) {
        UUID id = UUID.randomUUID();
        String eventId = cut(event.eventId(), 255);
        if (event instanceof MessageReceived m) {
            return new InboundRecord(id, c.projectId(), c.id(), c.platform(), "message", eventId, cut(m.chatId(), 255),
                    cut(m.senderId(), 255), cut(m.senderName(), 255), NulCharacters.strip(m.text()), attachments(m.attachments()),
                    cut(m.threadId(), 255), cut(m.replyToId(), 255), cut(m.platformMessageId(), 255), null, null, null, null,
                    raw(m.rawPayload()), m.receivedAt(), now, cut(m.editOf(), 255));
        }
        if (event instanceof InteractionReceived i) {
            return new InboundRecord(id, c.projectId(), c.id(), c.platform(), "interaction", eventId,
                    cut(i.chatId(), 255), cut(i.userId(), 255), cut(i.userName(), 255), null, null, null, null,
                    cut(i.platformMessageId(), 255), i.kind().name().toLowerCase(Locale.ROOT), NulCharacters.strip(i.value()), null, null,
                    raw(i.rawPayload()), i.receivedAt(), now, null);
        }
        DeliveryStatusUpdate s = (DeliveryStatusUpdate) event;
        return new InboundRecord(id, c.projectId(), c.id(), c.platform(), "status", eventId, null, null, null,
                    null, null, null, null, cut(s.platformMessageId(), 255), null, null, s.status().name().toLowerCase(Locale.ROOT),
                    NulCharacters.strip(s.detail()), raw(s.rawPayload()), s.receivedAt(), now, null);
    }

    /** The event's {@code data}: the same fields history shows for the inbound item, minus the raw payload. */
    static Map<String, Object> payload(InboundRecord r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", r.id().toString());
        data.put("direction", "inbound");
        data.put("kind", r.kind());
        data.put("platform", r.platform());
        data.put("configurationId", r.configurationId().toString());
        data.put("platformEventId", r.platformEventId());
        data.put("chatId", r.chatId());
        if (r.senderId() != null || r.senderName() != null) {
            Map<String, Object> sender = new LinkedHashMap<>();
            sender.put("id", r.senderId());
            sender.put("name", r.senderName());
            data.put("sender", sender);
        }
        switch (r.kind()) {
            case "message" -> {
                data.put("text", r.text());
                data.put("attachments", r.attachments() == null ? List.of() : readList(r.attachments()));
                data.put("threadId", r.threadId());
                data.put("replyToId", r.replyToId());
                data.put("editOf", r.editOf());
            }
            case "interaction" -> {
                data.put("interaction", r.interactionKind());
                data.put("value", r.interactionValue());
            }
            default -> {
                data.put("status", r.status());
                data.put("detail", r.statusDetail());
            }
        }
        data.put("platformMessageId", r.platformMessageId());
        data.put("receivedAt", r.receivedAt().toString());
        return data;
    }

    private static String attachments(List<InboundAttachment> attachments) {
        if (attachments.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (InboundAttachment a : attachments) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("platformFileId", NulCharacters.strip(a.platformFileId()));
            item.put("url", a.url() == null ? null : NulCharacters.strip(a.url().toString()));
            item.put("filename", NulCharacters.strip(a.filename()));
            item.put("mimeType", NulCharacters.strip(a.mimeType()));
            item.put("sizeBytes", a.sizeBytes());
            list.add(item);
        }
        return Json.write(list);
    }

    private static final TypeReference<List<Object>> OBJECT_LIST = new TypeReference<>() { };

    public static List<Object> readList(String json) {
        try {
            return Json.read(json, OBJECT_LIST);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Without U+0000 (Postgres cannot store it, and an authentic event must not be refused forever), then cut to the column. */
    private static String cut(String value, int max) {
        String text = NulCharacters.strip(value);
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static String raw(String payload) {
        return NulCharacters.stripFromJson(payload);
    }
}
