package dev.gatekit.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekit.core.errors.ApiException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void roundTripsAtMicrosecondPrecision() {
        Cursor cursor = new Cursor(Instant.parse("2026-01-02T03:04:05.123456Z"), UUID.randomUUID());
        assertThat(Cursor.parse(cursor.encode())).contains(cursor);
        assertThat(Cursor.parse(null)).isEmpty();
    }

    @Test
    void aCursorGateKitDidNotWriteIsA422() {
        assertThatThrownBy(() -> Cursor.parse("bm9wZQ")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(422));
    }
}
