package dev.gatekit.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NulCharactersTest {

    private static final String ESCAPE = "\\" + "u0000";

    @Test
    void stripsTheCharacterFromText() {
        assertThat(NulCharacters.strip("a\0b\0")).isEqualTo("ab");
        assertThat(NulCharacters.strip("plain")).isEqualTo("plain");
        assertThat(NulCharacters.strip(null)).isNull();
    }

    @Test
    void stripsTheEscapeFromJsonButNotAnEscapedBackslashBeforeU0000() {
        assertThat(NulCharacters.stripFromJson("{\"t\":\"a" + ESCAPE + "b\"}")).isEqualTo("{\"t\":\"ab\"}");
        // "\\u0000" in JSON is a backslash and the text u0000, which Postgres stores well.
        String escapedBackslash = "{\"t\":\"\\\\u0000\"}";
        assertThat(NulCharacters.stripFromJson(escapedBackslash)).isEqualTo(escapedBackslash);
        // Three backslashes: an escaped backslash, then the escape itself.
        assertThat(NulCharacters.stripFromJson("{\"t\":\"\\\\" + ESCAPE + "x\"}")).isEqualTo("{\"t\":\"\\\\x\"}");
        assertThat(NulCharacters.stripFromJson("{\"t\":\"\\\"" + ESCAPE + "\"}")).isEqualTo("{\"t\":\"\\\"\"}");
        assertThat(NulCharacters.stripFromJson("raw\0")).isEqualTo("raw");
        assertThat(NulCharacters.stripFromJson(null)).isNull();
    }
}
