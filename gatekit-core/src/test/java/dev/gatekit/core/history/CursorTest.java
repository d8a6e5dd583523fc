package dev.gatekit.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekit.core.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
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
    void aCursorGateKitDidNotWriteIsA400NamingIt() {
        // Not base64, no colon, and well-formed ones for times Postgres cannot compare with.
        for (String cursor : List.of("bm9wZQ", "%%%", encoded(Long.MAX_VALUE), encoded(Long.MIN_VALUE), encoded(-62_200_000_000_000_000L))) {
            assertThatThrownBy(() -> Cursor.parse(cursor)).as(cursor).isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400))
                    .satisfies(e -> assertThat(((ApiException) e).details().get(0).field()).isEqualTo("cursor"));
        }
    }

    /** A cursor as GateKit writes them, for a time Postgres cannot compare with. */
    private static String encoded(long micros) {
        String text = micros + ":" + UUID.randomUUID();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
