package dev.gatekit.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AES-256 key made from {@code ENCRYPTION_KEY}. 64 hex characters (what {@code openssl rand
 * -hex 32} prints, the original's form) are the key itself; any other secret of at least 32
 * characters is hashed to 256 bits. The id names the key inside each ciphertext so keys can rotate.
 */
public record EncryptionKey(String id, SecretKey key) {

    public static final int MIN_SECRET_LENGTH = 32;

    public static EncryptionKey fromSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("ENCRYPTION_KEY is not set");
        }
        String trimmed = secret.trim();
        if (trimmed.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("ENCRYPTION_KEY is too short: " + trimmed.length()
                    + " characters, at least " + MIN_SECRET_LENGTH + " are required (generate one with: openssl rand -hex 32)");
        }
        byte[] material = trimmed.matches("[0-9a-fA-F]{64}")
                ? HexFormat.of().parseHex(trimmed)
                : sha256(trimmed.getBytes(StandardCharsets.UTF_8));
        String id = HexFormat.of().formatHex(sha256(concat("gatekit-key-id:".getBytes(StandardCharsets.US_ASCII), material))).substring(0, 8);
        return new EncryptionKey(id, new SecretKeySpec(material, "AES"));
    }

    @Override
    public String toString() {
        return "EncryptionKey[id=" + id + "]";
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
