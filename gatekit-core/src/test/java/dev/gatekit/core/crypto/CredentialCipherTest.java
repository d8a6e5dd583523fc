package dev.gatekit.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static final EncryptionKey HEX_KEY = EncryptionKey.fromSecret("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    private static final EncryptionKey PASSPHRASE_KEY = EncryptionKey.fromSecret("a passphrase of more than thirty-two characters");

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        CredentialCipher cipher = new CredentialCipher(HEX_KEY, List.of());

        String first = cipher.encrypt("{\"token\":\"bot-secret\"}");
        String second = cipher.encrypt("{\"token\":\"bot-secret\"}");

        assertThat(first).isNotEqualTo(second).doesNotContain("bot-secret").startsWith("v1:" + HEX_KEY.id() + ":");
        assertThat(cipher.decrypt(first)).isEqualTo("{\"token\":\"bot-secret\"}");
        assertThat(cipher.decrypt(second)).isEqualTo("{\"token\":\"bot-secret\"}");
    }

    @Test
    void aTamperedCiphertextFailsAuthentication() {
        CredentialCipher cipher = new CredentialCipher(HEX_KEY, List.of());
        String sealed = cipher.encrypt("secret");
        int lastColon = sealed.lastIndexOf(':');
        byte[] body = java.util.Base64.getDecoder().decode(sealed.substring(lastColon + 1));
        body[0] ^= 1;
        String tampered = sealed.substring(0, lastColon + 1) + java.util.Base64.getEncoder().encodeToString(body);

        assertThatThrownBy(() -> cipher.decrypt(tampered)).hasMessageContaining("failed authentication");
    }

    @Test
    void anOldKeyStillOpensWhatItSealedAfterARotation() {
        String sealedBefore = new CredentialCipher(PASSPHRASE_KEY, List.of()).encrypt("old");
        CredentialCipher rotated = new CredentialCipher(HEX_KEY, List.of(PASSPHRASE_KEY));

        assertThat(rotated.decrypt(sealedBefore)).isEqualTo("old");
        assertThat(rotated.needsReencryption(sealedBefore)).isTrue();
        assertThat(rotated.needsReencryption(rotated.encrypt("new"))).isFalse();
        assertThatThrownBy(() -> new CredentialCipher(HEX_KEY, List.of()).decrypt(sealedBefore))
                .hasMessageContaining("not configured");
    }

    @Test
    void keysShorterThan32CharactersAreRefused() {
        assertThatThrownBy(() -> EncryptionKey.fromSecret("short")).hasMessageContaining("too short");
        assertThatThrownBy(() -> EncryptionKey.fromSecret("")).hasMessageContaining("not set");
        assertThat(EncryptionKey.fromSecret("x".repeat(32)).id()).hasSize(8);
    }

    @Test
    void toStringNeverShowsTheKey() {
        assertThat(HEX_KEY.toString()).isEqualTo("EncryptionKey[id=" + HEX_KEY.id() + "]");
    }
}
