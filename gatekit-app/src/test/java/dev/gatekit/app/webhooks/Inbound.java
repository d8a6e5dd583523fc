package dev.gatekit.app.webhooks;

import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What the inbound tests share: a configuration's webhook token, and signed (or forged) webhook-platform events. */
public final class Inbound {

    private Inbound() {
    }

    /** The webhook token of one configuration, read the way a user would. */
    public static String token(Api api, String key, String slug, String configurationId) {
        Api.Reply reply = api.get("/api/v1/projects/" + slug + "/platforms/" + configurationId + "/webhook", key);
        if (reply.status() != 200) {
            throw new IllegalStateException("No webhook for " + configurationId + ": " + reply);
        }
        return reply.json().get("token").asText();
    }

    public static String message(String eventId, String chatId, String text) {
        return json(Map.of("type", "message", "id", eventId, "chatId", chatId, "senderId", "u-" + chatId, "senderName", "Ada",
                "text", text, "messageId", "pm-" + eventId));
    }

    public static String button(String eventId, String chatId, String value) {
        return json(Map.of("type", "interaction", "id", eventId, "kind", "button", "value", value, "userId", "u-1", "chatId", chatId));
    }

    /** POSTs a body signed with the test signing secret, timestamped now. */
    public static Api.Reply postSigned(Api api, String path, String body) {
        long now = Instant.now().getEpochSecond();
        return post(api, path, body, Long.toString(now), sign(Messaging.SIGNING_SECRET, now, body));
    }

    /** POSTs with the given timestamp and signature headers; null leaves a header out. */
    public static Api.Reply post(Api api, String path, String body, String timestamp, String signature) {
        HttpRequest.Builder request = api.request(path, null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (timestamp != null) {
            request.header("X-GateKit-Timestamp", timestamp);
        }
        if (signature != null) {
            request.header("X-GateKit-Signature", signature);
        }
        return api.send(request);
    }

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Object value) {
        try {
            return Api.JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
