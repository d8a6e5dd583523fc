package dev.gatekit.plugin.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link PlatformClient#handleWebhook}: whether the request was authentic, the
 * events it carried and the HTTP response the platform expects. Use the factories.
 *
 * @param authentic    true when the request passed the platform's authenticity check
 * @param httpStatus   the HTTP status to answer with
 * @param contentType  the response's content type, or null when there is no body
 * @param responseBody the response body; null means empty; copied on the way in and out
 * @param events       the events to publish; always empty when not authentic
 */
public record WebhookResult(
        boolean authentic,
        int httpStatus,
        String contentType,
        byte[] responseBody,
        List<InboundEvent> events) {

    private static final byte[] OK_BODY = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    /**
     * Validates the result and copies its parts.
     *
     * @throws IllegalArgumentException when the status is not a valid HTTP status, or a request
     *                                  that is not authentic carries events
     */
    public WebhookResult {
        if (httpStatus < 100 || httpStatus > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + httpStatus);
        }
        responseBody = responseBody == null ? new byte[0] : responseBody.clone();
        events = Values.list(events, "events");
        if (!authentic && !events.isEmpty()) {
            throw new IllegalArgumentException("a request that is not authentic carries no events");
        }
    }

    /**
     * An authentic request: answer {@code 200 {"ok":true}} and publish the events.
     *
     * @param events the events it carried; may be empty (a ping, an event the plugin ignores)
     * @return the result
     */
    public static WebhookResult accepted(List<InboundEvent> events) {
        return new WebhookResult(true, 200, "application/json", OK_BODY, events);
    }

    /**
     * A request that is forged, unsigned, stale or malformed: answer with a 4xx and publish nothing.
     *
     * @param status the HTTP status, usually 401 (bad or missing signature), 403 or 400
     * @param reason a short reason sent as {@code text/plain}; never echo secrets
     * @return the result
     * @throws IllegalArgumentException when the status is not a 4xx
     */
    public static WebhookResult rejected(int status, String reason) {
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a rejection is a 4xx status: " + status);
        }
        byte[] body = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        return new WebhookResult(false, status, "text/plain; charset=utf-8", body, List.of());
    }

    /**
     * An authentic request that needs a specific answer, such as a platform's URL-verification
     * challenge or an interaction response.
     *
     * @param status      the HTTP status
     * @param contentType the content type, or null when the body is empty
     * @param body        the body, or null
     * @param events      the events it carried
     * @return the result
     */
    public static WebhookResult reply(int status, String contentType, byte[] body, List<InboundEvent> events) {
        return new WebhookResult(true, status, contentType, body, events);
    }

    /**
     * The response body.
     *
     * @return a copy of the body bytes, empty when there is none
     */
    @Override
    public byte[] responseBody() {
        return responseBody.clone();
    }

    /**
     * Compares by value, including the body's content.
     *
     * @param other the object to compare with
     * @return true when equal
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookResult that
                && authentic == that.authentic
                && httpStatus == that.httpStatus
                && Objects.equals(contentType, that.contentType)
                && Arrays.equals(responseBody, that.responseBody)
                && events.equals(that.events);
    }

    /**
     * Hashes by value, including the body's content.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return Objects.hash(authentic, httpStatus, contentType, Arrays.hashCode(responseBody), events);
    }

    /**
     * Describes the result with the body's size rather than its bytes.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "WebhookResult[authentic=" + authentic + ", httpStatus=" + httpStatus + ", contentType="
                + contentType + ", body=" + responseBody.length + " bytes, events=" + events + "]";
    }
}
