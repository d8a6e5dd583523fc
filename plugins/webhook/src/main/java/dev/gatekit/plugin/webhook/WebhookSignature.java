package dev.gatekit.plugin.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The GateKit webhook signature, used both ways: {@code X-GateKit-Signature: v1=<hex>} where
 * {@code hex} is the lower-case hex HMAC-SHA256, keyed with the signing secret, of
 * {@code <X-GateKit-Timestamp> + "." + <raw body bytes>}.
 */
public final class WebhookSignature {

    /** The header carrying unix seconds. */
    public static final String TIMESTAMP_HEADER = "X-GateKit-Timestamp";
    /** The header carrying {@code v1=<hex>}; several comma-separated values are accepted inbound. */
    public static final String SIGNATURE_HEADER = "X-GateKit-Signature";
    /** The header carrying GateKit's message id on outbound requests. */
    public static final String MESSAGE_ID_HEADER = "X-GateKit-Message-Id";
    /** The version prefix of the signature scheme. */
    public static final String SCHEME = "v1=";

    private WebhookSignature() {
    }

    /**
     * Computes the header value for a body.
     *
     * @param secret           the signing secret
     * @param timestampSeconds the unix timestamp sent in {@link #TIMESTAMP_HEADER}
     * @param body             the exact body bytes
     * @return {@code v1=<hex>}
     */
    public static String sign(String secret, long timestampSeconds, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(hmac(secret, timestampSeconds, body));
    }

    /**
     * Checks a signature header in constant time.
     *
     * @param secret           the signing secret
     * @param timestampSeconds the timestamp from {@link #TIMESTAMP_HEADER}
     * @param body             the exact body bytes
     * @param header           the {@link #SIGNATURE_HEADER} value, possibly several
     *                         comma-separated {@code v1=} values (secret rotation)
     * @return true when one of the values matches
     */
    public static boolean verify(String secret, long timestampSeconds, byte[] body, String header) {
        byte[] expected = sign(secret, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String candidate : header.split(",")) {
            byte[] given = candidate.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            // No early exit: every candidate is compared, each in constant time.
            matched |= MessageDigest.isEqual(expected, given);
        }
        return matched;
    }

    private static byte[] hmac(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
