package dev.gatekit.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for platform credentials. A ciphertext reads {@code v1:<key id>:<iv>:<ciphertext+tag>}
 * (base64), so after a rotation the old key still opens what it sealed until everything is
 * re-encrypted with the current one.
 */
public class CredentialCipher {

    private static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EncryptionKey current;
    private final Map<String, EncryptionKey> byId = new LinkedHashMap<>();

    /** @param previous older keys kept only to decrypt, during a rotation */
    public CredentialCipher(EncryptionKey current, List<EncryptionKey> previous) {
        this.current = current;
        byId.put(current.id(), current);
        previous.forEach(k -> byId.putIfAbsent(k.id(), k));
    }

    public String currentKeyId() {
        return current.id();
    }

    public String encrypt(String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(current.id().getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return VERSION + ":" + current.id() + ":" + b64.encodeToString(iv) + ":" + b64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String decrypt(String ciphertext) {
        String[] parts = ciphertext.split(":");
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw new IllegalArgumentException("Not a GateKit ciphertext");
        }
        EncryptionKey key = byId.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("Ciphertext was sealed with key " + parts[1] + ", which is not configured");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, b64.decode(parts[2])));
            cipher.updateAAD(key.id().getBytes(StandardCharsets.US_ASCII));
            return new String(cipher.doFinal(b64.decode(parts[3])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ciphertext failed authentication: it was altered or sealed with another key", e);
        }
    }

    /** Whether this ciphertext should be sealed again with the current key. */
    public boolean needsReencryption(String ciphertext) {
        return !ciphertext.startsWith(VERSION + ":" + current.id() + ":");
    }
}
