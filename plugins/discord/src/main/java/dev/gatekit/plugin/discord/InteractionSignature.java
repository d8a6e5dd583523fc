package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Discord's signature on an interactions request: {@code X-Signature-Ed25519} is the hex Ed25519
 * signature, by the application's key, of {@code X-Signature-Timestamp} followed by the raw body. The
 * timestamp must also be within {@link #WINDOW} of the clock, so a captured request cannot be replayed
 * later.
 */
final class InteractionSignature {

    static final String SIGNATURE_HEADER = "X-Signature-Ed25519";
    static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";
    static final Duration WINDOW = Duration.ofMinutes(5);

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows it. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final PublicKey key;

    private InteractionSignature(PublicKey key) {
        this.key = key;
    }

    /**
     * The verifier of one application's requests.
     *
     * @param rawKey the application's public key, 32 bytes
     * @return the verifier
     * @throws IllegalArgumentException when the bytes are not an Ed25519 public key
     */
    static InteractionSignature forKey(byte[] rawKey) {
        byte[] encoded = new byte[X509_PREFIX.length + rawKey.length];
        System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
        System.arraycopy(rawKey, 0, encoded, X509_PREFIX.length, rawKey.length);
        try {
            return new InteractionSignature(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /**
     * Why a request is not Discord's, if it is not.
     *
     * @param request the request
     * @param now     the clock's time
     * @return the reason, or empty when the request is authentic and fresh
     */
    Optional<String> problem(WebhookRequest request, Instant now) {
        Optional<String> signature = request.header(SIGNATURE_HEADER);
        Optional<String> timestamp = request.header(TIMESTAMP_HEADER);
        if (signature.isEmpty() || timestamp.isEmpty()) {
            return Optional.of("missing " + SIGNATURE_HEADER + " or " + TIMESTAMP_HEADER);
        }
        byte[] signatureBytes;
        long seconds;
        try {
            signatureBytes = HexFormat.of().parseHex(signature.get().trim());
            seconds = Long.parseLong(timestamp.get().trim());
        } catch (IllegalArgumentException e) {
            return Optional.of("malformed signature or timestamp");
        }
        if (signatureBytes.length != 64) {
            return Optional.of("malformed signature");
        }
        byte[] timestampBytes = timestamp.get().trim().getBytes(StandardCharsets.UTF_8);
        byte[] body = request.body();
        boolean valid;
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(timestampBytes);
            verifier.update(body);
            valid = verifier.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            return Optional.of("bad signature");
        }
        // Checked after the signature, so the answer does not tell a forger which part was wrong first.
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(WINDOW) > 0) {
            return Optional.of("stale timestamp");
        }
        return Optional.empty();
    }
}
