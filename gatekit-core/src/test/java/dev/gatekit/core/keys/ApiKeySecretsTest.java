package dev.gatekit.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

    @Test
    void aSecretCarriesItsEnvironmentAnd256RandomBits() {
        String secret = ApiKeySecrets.generate("prod");

        assertThat(secret).startsWith("gk_prod_");
        assertThat(Base64.getUrlDecoder().decode(secret.substring("gk_prod_".length()))).hasSize(32);
    }

    @Test
    void secretsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(ApiKeySecrets.generate("dev"))).isTrue();
        }
    }

    @Test
    void matchingComparesHashes() {
        String secret = ApiKeySecrets.generate("dev");
        String hash = ApiKeySecrets.hash(secret);

        assertThat(hash).hasSize(64).matches("[0-9a-f]+");
        assertThat(ApiKeySecrets.matches(secret, hash)).isTrue();
        assertThat(ApiKeySecrets.matches(secret + "x", hash)).isFalse();
        assertThat(ApiKeySecrets.prefixOf(secret)).hasSize(12);
        assertThat(ApiKeySecrets.suffixOf(secret)).isEqualTo(secret.substring(secret.length() - 4));
    }
}
