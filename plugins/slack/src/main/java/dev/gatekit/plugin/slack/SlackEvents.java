package dev.gatekit.plugin.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.gatekit.plugin.api.InboundAttachment;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.MessageReceived;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads what Slack posts to the webhook URL, once its signature has been checked: Events API
 * JSON ({@code url_verification}, {@code event_callback} with {@code message} and
 * {@code app_mention} events) and interactivity forms ({@code payload=} with a
 * {@code block_actions} JSON). A person's edit ({@code message_changed}) is received as the
 * edited message with {@link MessageReceived#editOf()} naming its {@code ts}, which Slack keeps
 * across edits.
 */
final class SlackEvents {

    /** Message subtypes that are a person's message; every other subtype (deletes, joins, bots) is skipped. */
    private static final Set<String> MESSAGE_SUBTYPES = Set.of("file_share", "thread_broadcast", "me_message");
    /** A message was changed: {@code message} is it as it is now, {@code previous_message} as it was. */
    private static final String MESSAGE_CHANGED = "message_changed";

    /** An authentic request that is not Slack's, or not readable. */
    static final class MalformedEventException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedEventException(String message) {
            super(message);
        }
    }

    /**
     * What a request carried.
     *
     * @param events    the events to hand the host
     * @param challenge the {@code url_verification} challenge to echo, or null
     */
    record Parsed(List<InboundEvent> events, String challenge) {
    }

    private SlackEvents() {
    }

    static Parsed parse(String contentType, byte[] body, Instant receivedAt) throws MalformedEventException {
        String text = new String(body, StandardCharsets.UTF_8);
        boolean form = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        if (form || text.startsWith("payload=")) {
            return parseForm(text, receivedAt);
        }
        JsonObject root = object(text);
        String type = string(root, "type");
        if ("url_verification".equals(type)) {
            String challenge = string(root, "challenge");
            if (challenge == null) {
                throw new MalformedEventException("url_verification without a challenge");
            }
            return new Parsed(List.of(), challenge);
        }
        if (!"event_callback".equals(type)) {
            return new Parsed(List.of(), null);
        }
        JsonObject event = root.has("event") && root.get("event").isJsonObject() ? root.getAsJsonObject("event") : null;
        String eventId = string(root, "event_id");
        if (event == null || eventId == null) {
            throw new MalformedEventException("event_callback without an event or event_id");
        }
        MessageReceived message = message(eventId, event, text, receivedAt);
        return new Parsed(message == null ? List.of() : List.of(message), null);
    }

    private static MessageReceived message(String eventId, JsonObject event, String raw, Instant receivedAt) {
        String type = string(event, "type");
        if (!"message".equals(type) && !"app_mention".equals(type)) {
            return null;
        }
        String channel = string(event, "channel");
        if (!MESSAGE_CHANGED.equals(string(event, "subtype"))) {
            return received(eventId, channel, event, raw, receivedAt, false);
        }
        JsonObject changed = child(event, "message");
        // Without "edited" the change is Slack's own (a link unfurl, a thread's reply count), not the author's.
        if (changed == null || child(changed, "edited") == null || string(changed, "ts") == null) {
            return null;
        }
        return received(eventId, channel, changed, raw, receivedAt, true);
    }

    /**
     * A person's message as an event.
     *
     * @param message the message object: the event itself, or a {@code message_changed} event's {@code message}
     * @param edit    whether it is an edit of the message with the same {@code ts}
     * @return the event, or null when it is not a person's message
     */
    private static MessageReceived received(String eventId, String channel, JsonObject message, String raw, Instant receivedAt,
                                            boolean edit) {
        String subtype = string(message, "subtype");
        if (subtype != null && !MESSAGE_SUBTYPES.contains(subtype)) {
            return null;
        }
        String user = string(message, "user");
        // A bot's message (ours included) has bot_id; answering it would loop.
        if (message.has("bot_id") && !message.get("bot_id").isJsonNull() || user == null || channel == null) {
            return null;
        }
        String ts = string(message, "ts");
        String threadTs = string(message, "thread_ts");
        String replyTo = threadTs != null && !threadTs.equals(ts) ? threadTs : null;
        return new MessageReceived(eventId, channel, user, null, string(message, "text"), files(message), threadTs, replyTo,
                ts, receivedAt, raw, edit ? ts : null);
    }

    private static List<InboundAttachment> files(JsonObject event) {
        List<InboundAttachment> files = new ArrayList<>();
        if (event.has("files") && event.get("files").isJsonArray()) {
            for (JsonElement element : event.getAsJsonArray("files")) {
                if (!element.isJsonObject()) {
                    continue;
                }
                JsonObject file = element.getAsJsonObject();
                String id = string(file, "id");
                URI url = uri(string(file, "url_private"));
                if (id == null && url == null) {
                    continue;
                }
                Long size = file.has("size") && file.get("size").isJsonPrimitive() ? file.get("size").getAsLong() : null;
                files.add(new InboundAttachment(id, url, string(file, "name"), string(file, "mimetype"), size));
            }
        }
        return files;
    }

    private static Parsed parseForm(String body, Instant receivedAt) throws MalformedEventException {
        Map<String, String> form = form(body);
        String payload = form.get("payload");
        if (payload == null) {
            throw new MalformedEventException("an interactivity request without a payload");
        }
        JsonObject root = object(payload);
        if (!"block_actions".equals(string(root, "type"))) {
            return new Parsed(List.of(), null);
        }
        JsonObject user = child(root, "user");
        String userId = user == null ? null : string(user, "id");
        if (userId == null) {
            throw new MalformedEventException("block_actions without a user");
        }
        String userName = user.has("username") ? string(user, "username") : string(user, "name");
        JsonObject container = child(root, "container");
        JsonObject channel = child(root, "channel");
        JsonObject message = child(root, "message");
        String channelId = channel != null ? string(channel, "id") : container == null ? null : string(container, "channel_id");
        String messageTs = container != null && string(container, "message_ts") != null ? string(container, "message_ts")
                : message == null ? null : string(message, "ts");
        String triggerId = string(root, "trigger_id");
        List<InboundEvent> events = new ArrayList<>();
        JsonArray actions = root.has("actions") && root.get("actions").isJsonArray() ? root.getAsJsonArray("actions") : new JsonArray();
        for (int i = 0; i < actions.size(); i++) {
            if (!actions.get(i).isJsonObject()) {
                continue;
            }
            JsonObject action = actions.get(i).getAsJsonObject();
            String value = string(action, "value");
            // A link button reports its click too, without a value: the link itself was the action.
            if (!"button".equals(string(action, "type")) || value == null) {
                continue;
            }
            String key = triggerId != null ? triggerId : userId + ":" + string(action, "action_ts");
            String eventId = "block_actions:" + key + (actions.size() > 1 ? ":" + i : "");
            events.add(new InteractionReceived(eventId, InteractionReceived.Kind.BUTTON, value, userId, userName,
                    channelId, messageTs, receivedAt, payload));
        }
        return new Parsed(events, null);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    private static JsonObject object(String json) throws MalformedEventException {
        try {
            JsonElement element = JsonParser.parseString(json);
            if (!element.isJsonObject()) {
                throw new MalformedEventException("not a JSON object");
            }
            return element.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new MalformedEventException("not JSON: " + e.getMessage());
        }
    }

    private static JsonObject child(JsonObject parent, String name) {
        JsonElement element = parent.get(name);
        return element != null && element.isJsonObject() ? element.getAsJsonObject() : null;
    }

    private static String string(JsonObject parent, String name) {
        JsonElement element = parent.get(name);
        return element != null && element.isJsonPrimitive() ? element.getAsString() : null;
    }

    private static URI uri(String value) {
        if (value == null) {
            return null;
        }
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
