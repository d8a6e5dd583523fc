package dev.gatekit.core.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes and hashes key secrets: {@code gk_<env>_<base64url of 32 random bytes>}, the original
 * GateKit's format, so 256 bits of randomness follow the environment tag.
 */
public final class ApiKeySecrets {

    static final int PREFIX_LENGTH = 12;
    static final int SUFFIX_LENGTH = 4;
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {
    }

    public static String generate(String environmentTag) {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return "gk_" + environmentTag + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Constant time, so a stored hash cannot be probed byte by byte. */
    public static boolean matches(String secret, String storedHash) {
        return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    static String prefixOf(String secret) {
        return secret.substring(0, PREFIX_LENGTH);
    }

    static String suffixOf(String secret) {
        return secret.substring(secret.length() - SUFFIX_LENGTH);
    }
}
