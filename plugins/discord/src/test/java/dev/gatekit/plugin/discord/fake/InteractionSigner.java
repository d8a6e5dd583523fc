package dev.gatekit.plugin.discord.fake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs interactions the way Discord does: Ed25519 over {@code X-Signature-Timestamp} followed by the
 * body, hex in {@code X-Signature-Ed25519}, with a real key pair of its own.
 */
public final class InteractionSigner {

    private final KeyPair keys;

    public InteractionSigner() {
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as the Developer Portal shows it: the raw 32 bytes, hex (the last 32 bytes of the X.509 encoding). */
    public String publicKeyHex() {
        byte[] encoded = keys.getPublic().getEncoded();
        return HexFormat.of().formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    public String sign(String timestamp, String body) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signer.update(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The headers Discord sends with a body signed at a time. */
    public Map<String, List<String>> headers(String body, Instant at) {
        String timestamp = Long.toString(at.getEpochSecond());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("X-Signature-Ed25519", List.of(sign(timestamp, body)));
        headers.put("X-Signature-Timestamp", List.of(timestamp));
        return headers;
    }
}
