package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.DeliveryStatusUpdate;
import dev.gatekit.plugin.api.InboundAttachment;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.MessageReceived;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads the webhook notifications the Cloud API posts ({@code {"object":"whatsapp_business_account",
 * "entry":[{"changes":[{"field":"messages","value":{...}}]}]}}) into GateKit's inbound events:
 * messages (text, media, locations, contacts), button and list replies, and the statuses of sent
 * messages. Other fields and message types (reactions, system messages) carry no event.
 */
final class WhatsAppNotifications {

    private static final List<String> MEDIA_TYPES = List.of("image", "video", "audio", "document", "sticker");

    private WhatsAppNotifications() {
    }

    /**
     * The events in one notification body.
     *
     * @param body       the raw body, stored as each event's raw payload
     * @param receivedAt when the host received it, for events without a timestamp
     * @return the events, possibly none
     * @throws IllegalArgumentException when the body is not a JSON object
     */
    static List<InboundEvent> events(byte[] body, Instant receivedAt) {
        Map<String, Object> root = Json.object(body).orElseThrow(() -> new IllegalArgumentException("not a JSON object"));
        String raw = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        List<InboundEvent> events = new ArrayList<>();
        for (Map<String, Object> entry : Json.objects(root, "entry")) {
            for (Map<String, Object> change : Json.objects(entry, "changes")) {
                if (!"messages".equals(Json.string(change, "field").orElse("messages"))) {
                    continue;
                }
                Map<String, Object> value = Json.object(change, "value");
                Map<String, String> names = new HashMap<>();
                for (Map<String, Object> contact : Json.objects(value, "contacts")) {
                    Json.string(contact, "wa_id").ifPresent(waId ->
                            Json.string(Json.object(contact, "profile"), "name").ifPresent(name -> names.put(waId, name)));
                }
                for (Map<String, Object> message : Json.objects(value, "messages")) {
                    message(message, names, raw, receivedAt).ifPresent(events::add);
                }
                for (Map<String, Object> status : Json.objects(value, "statuses")) {
                    status(status, raw, receivedAt).ifPresent(events::add);
                }
            }
        }
        return events;
    }

    private static Optional<InboundEvent> message(Map<String, Object> message, Map<String, String> names, String raw, Instant receivedAt) {
        Optional<String> id = Json.string(message, "id");
        Optional<String> from = Json.string(message, "from");
        if (id.isEmpty() || from.isEmpty()) {
            return Optional.empty();
        }
        String type = Json.string(message, "type").orElse("");
        String name = names.get(from.get());
        Instant at = timestamp(message, receivedAt);
        String context = Json.string(Json.object(message, "context"), "id").orElse(null);
        if (type.equals("interactive") || type.equals("button")) {
            return reply(message, type).map(value -> new InteractionReceived(id.get(), InteractionReceived.Kind.BUTTON, value,
                    from.get(), name, from.get(), context, at, raw));
        }
        String text;
        List<InboundAttachment> attachments = new ArrayList<>();
        if (type.equals("text")) {
            text = Json.string(Json.object(message, "text"), "body").orElse(null);
        } else if (MEDIA_TYPES.contains(type)) {
            Map<String, Object> media = Json.object(message, type);
            Optional<String> mediaId = Json.string(media, "id");
            if (mediaId.isEmpty()) {
                return Optional.empty();
            }
            attachments.add(new InboundAttachment(mediaId.get(), null, Json.string(media, "filename").orElse(null),
                    Json.string(media, "mime_type").orElse(null), null));
            text = Json.string(media, "caption").orElse(null);
        } else if (type.equals("location")) {
            Map<String, Object> location = Json.object(message, "location");
            Optional<String> latitude = Json.string(location, "latitude");
            Optional<String> longitude = Json.string(location, "longitude");
            if (latitude.isEmpty() || longitude.isEmpty()) {
                return Optional.empty();
            }
            String place = List.of(Json.string(location, "name"), Json.string(location, "address")).stream()
                    .flatMap(Optional::stream).collect(Collectors.joining(", "));
            text = "Location: " + (place.isEmpty() ? "" : place + " ") + "(" + latitude.get() + ", " + longitude.get() + ")";
            // A geo URI (RFC 5870) carries the coordinates in a form a program reads without parsing the text.
            attachments.add(new InboundAttachment(null, URI.create("geo:" + latitude.get() + "," + longitude.get()),
                    place.isEmpty() ? null : place, null, null));
        } else if (type.equals("contacts")) {
            List<String> cards = new ArrayList<>();
            for (Map<String, Object> contact : Json.objects(message, "contacts")) {
                String phones = Json.objects(contact, "phones").stream().flatMap(p -> Json.string(p, "phone").stream())
                        .collect(Collectors.joining(", "));
                String card = Json.string(Json.object(contact, "name"), "formatted_name").orElse("") + (phones.isEmpty() ? "" : " " + phones);
                if (!card.isBlank()) {
                    cards.add("Contact: " + card.trim());
                }
            }
            if (cards.isEmpty()) {
                return Optional.empty();
            }
            text = String.join("\n", cards);
        } else {
            return Optional.empty();
        }
        if ((text == null || text.isBlank()) && attachments.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MessageReceived(id.get(), from.get(), from.get(), name, text, attachments, null, context, id.get(), at, raw));
    }

    /** The value of a pressed reply button, list row, or template quick-reply button. */
    private static Optional<String> reply(Map<String, Object> message, String type) {
        if (type.equals("button")) {
            Map<String, Object> button = Json.object(message, "button");
            return Json.string(button, "payload").or(() -> Json.string(button, "text"));
        }
        Map<String, Object> interactive = Json.object(message, "interactive");
        String kind = Json.string(interactive, "type").orElse("");
        if (!kind.equals("button_reply") && !kind.equals("list_reply")) {
            return Optional.empty();
        }
        return Json.string(Json.object(interactive, kind), "id");
    }

    private static Optional<InboundEvent> status(Map<String, Object> status, String raw, Instant receivedAt) {
        Optional<String> id = Json.string(status, "id");
        Optional<DeliveryStatusUpdate.Status> value = Json.string(status, "status").flatMap(WhatsAppNotifications::status);
        if (id.isEmpty() || value.isEmpty()) {
            return Optional.empty();
        }
        String detail = Json.objects(status, "errors").stream().findFirst().map(error -> {
            String details = Json.string(Json.object(error, "error_data"), "details").orElse(null);
            String title = Json.string(error, "title").or(() -> Json.string(error, "message")).orElse("failed");
            return Json.string(error, "code").map(code -> code + " ").orElse("") + title + (details == null ? "" : ": " + details);
        }).orElse(null);
        // One event per message and status: Meta's retry of the same status is dropped by the host, a new status is not.
        String eventId = id.get() + ":" + value.get().name().toLowerCase(Locale.ROOT);
        return Optional.of(new DeliveryStatusUpdate(eventId, id.get(), value.get(), detail, timestamp(status, receivedAt), raw));
    }

    private static Optional<DeliveryStatusUpdate.Status> status(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "sent" -> Optional.of(DeliveryStatusUpdate.Status.SENT);
            case "delivered" -> Optional.of(DeliveryStatusUpdate.Status.DELIVERED);
            case "read" -> Optional.of(DeliveryStatusUpdate.Status.READ);
            case "failed" -> Optional.of(DeliveryStatusUpdate.Status.FAILED);
            default -> Optional.empty();
        };
    }

    /** Meta's {@code timestamp} is unix seconds, as a string. */
    private static Instant timestamp(Map<String, Object> object, Instant fallback) {
        return Json.string(object, "timestamp").map(seconds -> {
            try {
                return Instant.ofEpochSecond(Long.parseLong(seconds));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }).orElse(fallback);
    }
}
