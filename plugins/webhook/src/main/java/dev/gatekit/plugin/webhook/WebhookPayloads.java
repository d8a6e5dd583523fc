package dev.gatekit.plugin.webhook;

import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.DeliveryStatusUpdate;
import dev.gatekit.plugin.api.Embed;
import dev.gatekit.plugin.api.EmbedField;
import dev.gatekit.plugin.api.InboundAttachment;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.MessageReceived;
import dev.gatekit.plugin.api.OutboundMessage;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON wire format of the webhook platform, both ways. The one place JSON is read or written,
 * with jackson-jr's default configuration.
 */
final class WebhookPayloads {

    /** A payload that is authentic but unusable; its message is safe to return to the sender. */
    static final class MalformedPayloadException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedPayloadException(String message) {
            super(message);
        }
    }

    private WebhookPayloads() {
    }

    static byte[] outbound(OutboundMessage message, Instant timestamp) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("messageId", message.messageId());
        root.put("timestamp", timestamp.toString());
        root.put("target", Map.of("type", lower(message.target().type()), "id", message.target().id()));
        root.put("content", content(message.content()));
        Map<String, Object> options = new LinkedHashMap<>();
        putIfPresent(options, "replyTo", message.options().replyTo());
        putIfPresent(options, "threadId", message.options().threadId());
        options.put("silent", message.options().silent());
        root.put("options", options);
        root.put("metadata", message.metadata());
        return com.fasterxml.jackson.jr.ob.JSON.std.asBytes(root);
    }

    private static Map<String, Object> content(MessageContent content) {
        Map<String, Object> map = new LinkedHashMap<>();
        putIfPresent(map, "text", content.text());
        map.put("format", lower(content.format()));
        List<Object> attachments = new ArrayList<>();
        for (Attachment attachment : content.attachments()) {
            Map<String, Object> item = new LinkedHashMap<>();
            putIfPresent(item, "url", attachment.url());
            if (attachment.isInline()) {
                item.put("data", Base64.getEncoder().encodeToString(attachment.data()));
            }
            putIfPresent(item, "filename", attachment.filename());
            putIfPresent(item, "mimeType", attachment.mimeType());
            putIfPresent(item, "caption", attachment.caption());
            attachments.add(item);
        }
        map.put("attachments", attachments);
        List<Object> buttons = new ArrayList<>();
        for (Button button : content.buttons()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("text", button.text());
            putIfPresent(item, "value", button.value());
            putIfPresent(item, "url", button.url());
            item.put("style", lower(button.style()));
            buttons.add(item);
        }
        map.put("buttons", buttons);
        List<Object> embeds = new ArrayList<>();
        for (Embed embed : content.embeds()) {
            Map<String, Object> item = new LinkedHashMap<>();
            putIfPresent(item, "title", embed.title());
            putIfPresent(item, "description", embed.description());
            putIfPresent(item, "color", embed.color());
            putIfPresent(item, "url", embed.url());
            putIfPresent(item, "imageUrl", embed.imageUrl());
            putIfPresent(item, "thumbnailUrl", embed.thumbnailUrl());
            putIfPresent(item, "author", embed.author());
            putIfPresent(item, "footer", embed.footer());
            List<Object> fields = new ArrayList<>();
            for (EmbedField field : embed.fields()) {
                fields.add(Map.of("name", field.name(), "value", field.value(), "inline", field.inline()));
            }
            item.put("fields", fields);
            putIfPresent(item, "timestamp", embed.timestamp());
            embeds.add(item);
        }
        map.put("embeds", embeds);
        return map;
    }

    /** The {@code id} of a 2xx reply, if the reply is a JSON object that has one. */
    static Optional<String> replyId(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            Object id = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(body).get("id");
            return id == null || id instanceof Map || id instanceof List
                    ? Optional.empty() : Optional.of(id.toString()).filter(s -> !s.isBlank());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static InboundEvent inbound(String body, Instant receivedAt) throws MalformedPayloadException {
        Map<String, Object> root;
        try {
            root = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(body);
        } catch (IOException | RuntimeException e) {
            throw new MalformedPayloadException("body is not a JSON object");
        }
        String type = optionalString(root, "type").orElse("message").toLowerCase(Locale.ROOT);
        Instant at = optionalInstant(root, "timestamp").orElse(receivedAt);
        try {
            switch (type) {
                case "message":
                    return new MessageReceived(
                            requiredString(root, "id"),
                            requiredString(root, "chatId"),
                            optionalString(root, "senderId").orElse(null),
                            optionalString(root, "senderName").orElse(null),
                            optionalString(root, "text").orElse(null),
                            inboundAttachments(root.get("attachments")),
                            optionalString(root, "threadId").orElse(null),
                            optionalString(root, "replyTo").orElse(null),
                            optionalString(root, "messageId").orElse(null),
                            at,
                            body);
                case "interaction":
                    return new InteractionReceived(
                            requiredString(root, "id"),
                            "command".equalsIgnoreCase(optionalString(root, "kind").orElse("button"))
                                    ? InteractionReceived.Kind.COMMAND : InteractionReceived.Kind.BUTTON,
                            requiredString(root, "value"),
                            requiredString(root, "userId"),
                            optionalString(root, "userName").orElse(null),
                            optionalString(root, "chatId").orElse(null),
                            optionalString(root, "messageId").orElse(null),
                            at,
                            body);
                case "status":
                    return new DeliveryStatusUpdate(
                            requiredString(root, "id"),
                            requiredString(root, "messageId"),
                            status(requiredString(root, "status")),
                            optionalString(root, "detail").orElse(null),
                            at,
                            body);
                default:
                    throw new MalformedPayloadException("unknown type '" + type + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException(e.getMessage());
        }
    }

    private static DeliveryStatusUpdate.Status status(String value) throws MalformedPayloadException {
        try {
            return DeliveryStatusUpdate.Status.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException("status must be delivered, read or failed");
        }
    }

    private static List<InboundAttachment> inboundAttachments(Object value) throws MalformedPayloadException {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new MalformedPayloadException("attachments must be an array");
        }
        List<InboundAttachment> attachments = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)) {
                throw new MalformedPayloadException("each attachment must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            URI url = null;
            Optional<String> rawUrl = optionalString(fields, "url");
            if (rawUrl.isPresent()) {
                try {
                    url = URI.create(rawUrl.get());
                } catch (IllegalArgumentException e) {
                    throw new MalformedPayloadException("attachment url is not a URI");
                }
            }
            Object size = fields.get("size");
            attachments.add(new InboundAttachment(
                    optionalString(fields, "id").orElse(null),
                    url,
                    optionalString(fields, "filename").orElse(null),
                    optionalString(fields, "mimeType").orElse(null),
                    size instanceof Number number ? number.longValue() : null));
        }
        return attachments;
    }

    private static String requiredString(Map<String, Object> map, String name) throws MalformedPayloadException {
        return optionalString(map, name)
                .orElseThrow(() -> new MalformedPayloadException("missing field '" + name + "'"));
    }

    private static Optional<String> optionalString(Map<String, Object> map, String name) {
        Object value = map.get(name);
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            String text = value.toString();
            return text.isBlank() ? Optional.empty() : Optional.of(text);
        }
        return Optional.empty();
    }

    private static Optional<Instant> optionalInstant(Map<String, Object> map, String name)
            throws MalformedPayloadException {
        Object value = map.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Number number) {
            return Optional.of(Instant.ofEpochSecond(number.longValue()));
        }
        try {
            return Optional.of(Instant.parse(value.toString()));
        } catch (DateTimeParseException e) {
            throw new MalformedPayloadException("timestamp must be ISO-8601 or unix seconds");
        }
    }

    private static void putIfPresent(Map<String, Object> map, String name, Object value) {
        if (value != null) {
            map.put(name, value instanceof URI || value instanceof Instant ? value.toString() : value);
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
