package dev.gatekit.core.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on every event GateKit sends, the same scheme as the webhook platform's:
 * {@code X-GateKit-Signature: v1=<hex HMAC-SHA256(secret, X-GateKit-Timestamp + "." + body)>}.
 */
public final class EventSignature {

    public static final String TIMESTAMP_HEADER = "X-GateKit-Timestamp";
    public static final String SIGNATURE_HEADER = "X-GateKit-Signature";
    public static final String EVENT_HEADER = "X-GateKit-Event";
    public static final String DELIVERY_HEADER = "X-GateKit-Delivery";

    private EventSignature() {
    }

    public static String sign(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
