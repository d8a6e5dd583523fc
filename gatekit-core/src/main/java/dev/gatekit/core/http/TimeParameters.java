package dev.gatekit.core.http;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Times a client gives in query parameters ({@code from}, {@code to}, cursors). Java reads years far
 * beyond what Postgres can compare with ({@code +99999-01-01T00:00:00Z}), so a time is only taken
 * within years 1 to 9999, the range ISO-8601 and every client's date type agree on.
 */
public final class TimeParameters {

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    public static final String PROBLEM = "must be an ISO-8601 instant or a date (YYYY-MM-DD) within years 0001 to 9999";

    private TimeParameters() {
    }

    /** An ISO-8601 instant, or a date (YYYY-MM-DD) standing for its start in UTC; empty when it is neither or out of range. */
    public static Optional<Instant> instant(String value) {
        String text = value.trim();
        try {
            Instant instant = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
            return within(instant) ? Optional.of(instant) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static boolean within(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
}
