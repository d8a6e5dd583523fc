package dev.gatekit.plugin.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekit.plugin.api.InboundAttachment;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.MessageReceived;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads one webhook {@code Update} (Telegram's JSON, read as a tree with Jackson so a field a newer
 * Bot API adds never breaks parsing) into GateKit's inbound events.
 *
 * <ul>
 *   <li>{@code message}, {@code edited_message}, {@code channel_post}, {@code edited_channel_post}
 *       become a {@link MessageReceived}; an edit names the message it edits in
 *       {@link MessageReceived#editOf()} (Telegram keeps the message id across edits). A message
 *       sent as a chat ({@code sender_chat}: an anonymous group admin, a channel, a linked channel's
 *       post in its discussion group) is attributed to that chat, not to the placeholder user
 *       Telegram puts in {@code from}. A message without text or caption gets a text that says what
 *       it carries (a location, a venue, a contact, a poll, a dice roll, a sticker's emoji);</li>
 *   <li>{@code callback_query} (a button pressed) becomes an {@link InteractionReceived} and an
 *       {@code answerCallbackQuery} call to return in the webhook reply;</li>
 *   <li>every other kind is acknowledged and ignored.</li>
 * </ul>
 * The event id is the {@code update_id}, which Telegram repeats when it redelivers an update.
 */
final class TelegramUpdates {

    private static final List<String> MESSAGE_FIELDS =
            List.of("message", "edited_message", "channel_post", "edited_channel_post");

    /** The update types the webhook is registered for. */
    static final List<String> ALLOWED_UPDATES =
            List.of("message", "edited_message", "channel_post", "edited_channel_post", "callback_query");

    /**
     * What one update yields.
     *
     * @param events        the events to publish (zero or one)
     * @param webhookAnswer a Bot API call to return as the webhook's response body, or null
     */
    record Parsed(List<InboundEvent> events, byte[] webhookAnswer) {
    }

    static final class MalformedUpdateException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedUpdateException(String message) {
            super(message);
        }
    }

    private TelegramUpdates() {
    }

    static Parsed parse(byte[] body, Instant receivedAt) throws MalformedUpdateException {
        JsonNode update;
        try {
            update = BotApi.JSON.readTree(body);
        } catch (IOException e) {
            throw new MalformedUpdateException("the body is not JSON");
        }
        if (update == null || !update.isObject() || !update.path("update_id").canConvertToLong()) {
            throw new MalformedUpdateException("not a Telegram Update: no update_id");
        }
        String eventId = update.get("update_id").asText();
        String raw = new String(body, StandardCharsets.UTF_8);
        for (String field : MESSAGE_FIELDS) {
            JsonNode message = update.path(field);
            if (message.isObject()) {
                return new Parsed(List.of(message(eventId, message, field.startsWith("edited_"), receivedAt, raw)), null);
            }
        }
        JsonNode callback = update.path("callback_query");
        if (callback.isObject()) {
            return callback(eventId, callback, receivedAt, raw);
        }
        return new Parsed(List.of(), null);
    }

    private static MessageReceived message(String eventId, JsonNode message, boolean edited, Instant receivedAt,
                                           String raw) throws MalformedUpdateException {
        String chatId = text(message.path("chat").path("id"))
                .orElseThrow(() -> new MalformedUpdateException("a message without chat.id"));
        JsonNode from = message.path("from");
        JsonNode senderChat = message.path("sender_chat");
        String senderId;
        String senderName;
        if (senderChat.isObject()) {
            // Channel posts and anonymous group admins speak as a chat; their "from" is a placeholder bot.
            senderId = text(senderChat.path("id")).orElse(null);
            senderName = text(senderChat.path("title")).or(() -> text(senderChat.path("username"))).orElse(null);
        } else if (from.isObject()) {
            senderId = text(from.path("id")).orElse(null);
            senderName = userName(from);
        } else {
            senderId = null;
            senderName = null;
        }
        String text = text(message.path("text")).or(() -> text(message.path("caption")))
                .or(() -> describe(message)).orElse(null);
        long epochSeconds = message.path(edited ? "edit_date" : "date").asLong(0);
        Instant sentAt = epochSeconds > 0 ? Instant.ofEpochSecond(epochSeconds) : receivedAt;
        String messageId = text(message.path("message_id")).orElse(null);
        return new MessageReceived(eventId, chatId, senderId, senderName, text, attachments(message),
                text(message.path("message_thread_id")).orElse(null),
                text(message.path("reply_to_message").path("message_id")).orElse(null),
                messageId, sentAt, raw, edited ? messageId : null);
    }

    /** A text for a message that has none: what it carries, so that history and events show something useful. */
    private static Optional<String> describe(JsonNode message) {
        JsonNode venue = message.path("venue");
        if (venue.isObject()) {
            return Optional.of("Venue: " + joined(text(venue.path("title")).orElse(null), text(venue.path("address")).orElse(null))
                    + " (" + coordinates(venue.path("location")) + ")");
        }
        JsonNode location = message.path("location");
        if (location.isObject()) {
            return Optional.of("Location: " + coordinates(location));
        }
        JsonNode contact = message.path("contact");
        if (contact.isObject()) {
            return Optional.of("Contact: " + joined(userName(contact), text(contact.path("phone_number")).orElse(null)));
        }
        JsonNode poll = message.path("poll");
        if (poll.isObject()) {
            List<String> options = new ArrayList<>();
            poll.path("options").forEach(option -> text(option.path("text")).ifPresent(options::add));
            return Optional.of("Poll: " + text(poll.path("question")).orElse("") + " [" + String.join(" / ", options) + "]");
        }
        JsonNode dice = message.path("dice");
        if (dice.isObject()) {
            return Optional.of(text(dice.path("emoji")).orElse("Dice") + " " + dice.path("value").asInt());
        }
        return text(message.path("sticker").path("emoji"));
    }

    private static String coordinates(JsonNode location) {
        return location.path("latitude").asDouble() + "," + location.path("longitude").asDouble();
    }

    /** The values that are there, comma-separated. */
    private static String joined(String... values) {
        return String.join(", ", Arrays.stream(values).filter(value -> value != null && !value.isEmpty()).toList());
    }

    private static Parsed callback(String eventId, JsonNode callback, Instant receivedAt, String raw)
            throws MalformedUpdateException {
        String queryId = text(callback.path("id")).orElseThrow(() -> new MalformedUpdateException("a callback_query without id"));
        String userId = text(callback.path("from").path("id"))
                .orElseThrow(() -> new MalformedUpdateException("a callback_query without from.id"));
        JsonNode message = callback.path("message");
        InteractionReceived event = new InteractionReceived(eventId, InteractionReceived.Kind.BUTTON,
                text(callback.path("data")).or(() -> text(callback.path("game_short_name"))).orElse(""),
                userId, userName(callback.path("from")),
                text(message.path("chat").path("id")).orElse(null),
                text(message.path("message_id")).or(() -> text(callback.path("inline_message_id"))).orElse(null),
                receivedAt, raw);
        return new Parsed(List.of(event), answerCallbackQuery(queryId));
    }

    /**
     * Telegram lets a webhook's response body carry one Bot API call ({@code {"method": ...}}):
     * answering there stops the button's spinner without a second round trip and without blocking
     * the webhook on an outbound call.
     */
    static byte[] answerCallbackQuery(String queryId) {
        ObjectNode answer = BotApi.JSON.createObjectNode()
                .put("method", "answerCallbackQuery")
                .put("callback_query_id", queryId);
        return answer.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<InboundAttachment> attachments(JsonNode message) {
        List<InboundAttachment> attachments = new ArrayList<>();
        JsonNode photos = message.path("photo");
        if (photos.isArray() && !photos.isEmpty()) {
            // Telegram lists the sizes smallest first; the last is the original resolution.
            JsonNode largest = photos.get(photos.size() - 1);
            file(largest, null, "image/jpeg").ifPresent(attachments::add);
        }
        JsonNode animation = message.path("animation");
        JsonNode document = message.path("document");
        // Telegram sends an animation also as a document with the same file: keep it once.
        boolean documentIsAnimation = animation.isObject() && animation.path("file_id").equals(document.path("file_id"));
        if (!documentIsAnimation) {
            file(document, null, null).ifPresent(attachments::add);
        }
        file(message.path("video"), null, "video/mp4").ifPresent(attachments::add);
        file(animation, null, "video/mp4").ifPresent(attachments::add);
        file(message.path("audio"), null, "audio/mpeg").ifPresent(attachments::add);
        file(message.path("voice"), "voice.ogg", "audio/ogg").ifPresent(attachments::add);
        file(message.path("video_note"), "video_note.mp4", "video/mp4").ifPresent(attachments::add);
        JsonNode sticker = message.path("sticker");
        // A video sticker is WebM, an animated one Lottie (TGS); only a static one is WebP.
        String stickerMime = sticker.path("is_video").asBoolean() ? "video/webm"
                : sticker.path("is_animated").asBoolean() ? "application/x-tgsticker" : "image/webp";
        file(sticker, null, stickerMime).ifPresent(attachments::add);
        return attachments;
    }

    private static Optional<InboundAttachment> file(JsonNode file, String defaultName, String defaultMime) {
        if (!file.isObject()) {
            return Optional.empty();
        }
        return text(file.path("file_id")).map(fileId -> new InboundAttachment(fileId, null,
                text(file.path("file_name")).orElse(defaultName),
                text(file.path("mime_type")).orElse(defaultMime),
                file.path("file_size").canConvertToLong() ? file.path("file_size").asLong() : null));
    }

    private static String userName(JsonNode user) {
        String first = text(user.path("first_name")).orElse("");
        String last = text(user.path("last_name")).orElse("");
        String full = (first + " " + last).trim();
        return full.isEmpty() ? text(user.path("username")).orElse(null) : full;
    }

    private static Optional<String> text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()) {
            return Optional.empty();
        }
        String value = node.asText();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
