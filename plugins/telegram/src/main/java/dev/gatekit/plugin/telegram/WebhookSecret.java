package dev.gatekit.plugin.telegram;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code secret_token} GateKit registers with {@code setWebhook}, and checks on every update in
 * the {@code X-Telegram-Bot-Api-Secret-Token} header.
 *
 * <p>It is derived, not stored: HMAC-SHA256 keyed with the bot token over the configuration id,
 * base64url without padding (43 characters of {@code [A-Za-z0-9_-]}, inside Telegram's 1-256). Every
 * GateKit instance computes the same value, nobody without the bot token can, and a new token or a
 * new configuration gives a new secret.
 */
final class WebhookSecret {

    static final String HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final String CONTEXT = "gatekit/telegram/webhook-secret/v1:";

    private WebhookSecret() {
    }

    static String derive(String botToken, String configurationId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(botToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((CONTEXT + configurationId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison, so the header's value leaks nothing through timing. */
    static boolean matches(String expected, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.trim().getBytes(StandardCharsets.UTF_8));
    }
}
