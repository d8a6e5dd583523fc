package dev.gatekit.plugin.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A reply the {@link FakePlatformServer} sends. Immutable; the {@code with...} methods return
 * copies.
 *
 * @param status  the HTTP status
 * @param headers response headers
 * @param body    the body bytes
 * @param delay   how long the server waits before answering (to provoke client timeouts)
 */
public record FakeResponse(int status, Map<String, String> headers, byte[] body, Duration delay) {

    /** Validates and copies. */
    public FakeResponse {
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        body = body == null ? new byte[0] : body.clone();
        delay = delay == null ? Duration.ZERO : delay;
    }

    /**
     * An empty reply with a status.
     *
     * @param status the HTTP status
     * @return the reply
     */
    public static FakeResponse status(int status) {
        return new FakeResponse(status, Map.of(), null, null);
    }

    /**
     * {@code 200} with an empty JSON object.
     *
     * @return the reply
     */
    public static FakeResponse ok() {
        return json(200, "{}");
    }

    /**
     * A JSON reply.
     *
     * @param status the HTTP status
     * @param json   the body
     * @return the reply
     */
    public static FakeResponse json(int status, String json) {
        return new FakeResponse(status, Map.of("Content-Type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * A plain-text reply.
     *
     * @param status the HTTP status
     * @param text   the body
     * @return the reply
     */
    public static FakeResponse text(int status, String text) {
        return new FakeResponse(status, Map.of("Content-Type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * {@code 429 Too Many Requests} with {@code Retry-After} in whole seconds.
     *
     * @param retryAfter the delay; rounded down to seconds
     * @return the reply
     */
    public static FakeResponse tooManyRequests(Duration retryAfter) {
        return status(429).withHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
    }

    /**
     * {@code 429 Too Many Requests} with {@code Retry-After} as an HTTP date.
     *
     * @param until the time after which the client may retry
     * @return the reply
     */
    public static FakeResponse tooManyRequestsUntil(ZonedDateTime until) {
        return status(429).withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(until));
    }

    /**
     * A copy with one more header.
     *
     * @param name  the header name
     * @param value the header value
     * @return the copy
     */
    public FakeResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return new FakeResponse(status, copy, body, delay);
    }

    /**
     * A copy that answers only after a delay.
     *
     * @param value the delay
     * @return the copy
     */
    public FakeResponse withDelay(Duration value) {
        return new FakeResponse(status, headers, body, value);
    }

    /**
     * The body.
     *
     * @return a copy of the bytes
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "FakeResponse[" + status + ", headers=" + headers + ", body=" + new String(body, StandardCharsets.UTF_8)
                + (delay.isZero() ? "" : ", delay=" + delay) + "]";
    }
}
