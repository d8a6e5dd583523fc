package dev.gatekit.plugin.slack;

import dev.gatekit.plugin.api.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signing: {@code X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body)>}, with the timestamp within five minutes of
 * now, either way.
 */
final class SlackSignature {

    static final String SIGNATURE_HEADER = "X-Slack-Signature";
    static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);
    private static final String VERSION = "v0";

    private SlackSignature() {
    }

    /**
     * Checks a request.
     *
     * @param signingSecret the app's signing secret, or null when none is configured
     * @param request       the request as received
     * @param now           the current time, from the context's clock
     * @return why the request is not authentic, or empty when it is
     */
    static Optional<String> problem(String signingSecret, WebhookRequest request, Instant now) {
        if (signingSecret == null || signingSecret.isEmpty()) {
            return Optional.of("no signing secret is configured, so no request can be verified");
        }
        String timestamp = request.header(TIMESTAMP_HEADER).map(String::trim).orElse(null);
        String signature = request.header(SIGNATURE_HEADER).map(String::trim).orElse(null);
        if (timestamp == null || signature == null) {
            return Optional.of("missing " + SIGNATURE_HEADER + " or " + TIMESTAMP_HEADER);
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return Optional.of("malformed " + TIMESTAMP_HEADER);
        }
        long skew = Math.abs(now.getEpochSecond() - seconds);
        if (skew > REPLAY_WINDOW.toSeconds()) {
            return Optional.of("stale request: " + TIMESTAMP_HEADER + " is outside the five-minute window");
        }
        byte[] expected = sign(signingSecret, timestamp, request.body()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("wrong " + SIGNATURE_HEADER);
        }
        return Optional.empty();
    }

    /**
     * Computes the signature Slack sends.
     *
     * @param signingSecret the app's signing secret
     * @param timestamp     the {@code X-Slack-Request-Timestamp} value, as sent
     * @param body          the raw body
     * @return {@code v0=} and the lower-case hex HMAC
     */
    static String sign(String signingSecret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return VERSION + "=" + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
