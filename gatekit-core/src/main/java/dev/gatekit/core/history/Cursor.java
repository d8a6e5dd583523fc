package dev.gatekit.core.history;

import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.http.TimeParameters;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * A keyset position in a newest-first list ordered by {@code (created_at, id)}: the last row a page
 * showed. Opaque to clients (base64url of micros and id); the next page starts strictly after it.
 */
public record Cursor(Instant createdAt, UUID id) {

    public String encode() {
        long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** Empty for no cursor; a 400 naming {@code cursor} for one that GateKit did not write. */
    public static Optional<Cursor> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(value.trim()), StandardCharsets.US_ASCII);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            UUID id = UUID.fromString(text.substring(colon + 1));
            Instant createdAt = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
            if (!TimeParameters.within(createdAt)) {
                throw new IllegalArgumentException("out of range");
            }
            return Optional.of(new Cursor(createdAt, id));
        } catch (IllegalArgumentException | IndexOutOfBoundsException | DateTimeException e) {
            throw ApiException.badParameter("cursor", "not a cursor this API returned");
        }
    }
}
