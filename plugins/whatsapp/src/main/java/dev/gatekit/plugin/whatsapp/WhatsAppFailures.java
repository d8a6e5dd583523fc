package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place where the Graph API's answers become GateKit's typed failures.
 *
 * <p>Meta answers a failed call with {@code {"error":{"message","type","code","error_subcode",
 * "error_data":{"details"},"fbtrace_id"}}}. The {@code code} says what went wrong, whatever the
 * HTTP status (rate limits come as 400 as often as 429), so it decides; the status decides only
 * when there is no error object (a proxy's error page, say).
 */
final class WhatsAppFailures {

    /** More than 24 hours since the person last wrote: only a template message gets through (131047). */
    static final String REENGAGEMENT_REQUIRED = "reengagement_required";
    /** No approved template of that name in that language (132001). */
    static final String TEMPLATE_NOT_FOUND = "template_not_found";
    /** The values do not fit the template's placeholders, in number or format (132000, 132012). */
    static final String TEMPLATE_PARAMETER_MISMATCH = "template_parameter_mismatch";
    /** The template exists but cannot be sent now: paused, disabled, or its text refused (other 132xxx). */
    static final String TEMPLATE_REJECTED = "template_rejected";
    /** WhatsApp could not fetch or process an attachment (131052, 131053). */
    static final String MEDIA_REJECTED = "media_rejected";

    /** Throughput and pair limits that lift within seconds or minutes: retry later. */
    private static final Set<Integer> THROTTLED = Set.of(4, 80007, 130429, 131056);
    /** Meta's own temporary failures. */
    private static final Set<Integer> TEMPORARY = Set.of(2, 131000, 131016, 133004);
    /** The number cannot receive WhatsApp messages from this business. */
    private static final Set<Integer> INVALID_RECIPIENT = Set.of(131026, 131030, 131021);
    /** Limits that waiting a little will not lift: spam and per-user marketing limits. */
    private static final Set<Integer> LASTING_LIMITS = Set.of(131048, 131049);
    /** The token is valid but may not do this, or the account is restricted. */
    private static final Set<Integer> FORBIDDEN = Set.of(3, 10, 131005, 131031, 131042, 368);
    private static final int OAUTH_EXCEPTION = 190;
    private static final int AUTH_EXCEPTION = 0;
    private static final int INVALID_PARAMETER = 100;
    private static final int NO_SUCH_OBJECT_SUBCODE = 33;

    private WhatsAppFailures() {
    }

    /** Meta's error object; {@code code} is -1 when there was none. */
    record GraphError(int code, Integer subcode, String message, String details, String fbtraceId) {

        static Optional<GraphError> of(byte[] body) {
            return Json.object(body).map(root -> Json.object(root, "error")).filter(error -> !error.isEmpty()).map(error -> {
                int code = Json.string(error, "code").map(WhatsAppFailures::integer).orElse(-1);
                Integer subcode = Json.string(error, "error_subcode").map(WhatsAppFailures::integer).orElse(null);
                return new GraphError(code, subcode, Json.string(error, "message").orElse(""),
                        Json.string(Json.object(error, "error_data"), "details").orElse(null),
                        Json.string(error, "fbtrace_id").orElse(null));
            });
        }

        /** What WhatsApp said, for a person: its message, its details when they add something, and the ids support asks for. */
        String describe() {
            StringBuilder text = new StringBuilder(message.isEmpty() ? "error" : message);
            if (details != null && !message.contains(details)) {
                text.append(": ").append(details);
            }
            text.append(" (code ").append(code);
            if (subcode != null) {
                text.append(", subcode ").append(subcode);
            }
            if (fbtraceId != null) {
                text.append(", fbtrace_id ").append(fbtraceId);
            }
            return text.append(')').toString();
        }

        boolean isNoSuchObject() {
            return code == NO_SUCH_OBJECT_SUBCODE || (code == INVALID_PARAMETER && Integer.valueOf(NO_SUCH_OBJECT_SUBCODE).equals(subcode));
        }

        boolean isBadToken() {
            return code == OAUTH_EXCEPTION || code == AUTH_EXCEPTION;
        }
    }

    /**
     * Maps a Graph API answer that was not a success.
     *
     * @param call       what was called, for the message ("messages", "media")
     * @param status     the HTTP status
     * @param retryAfter the {@code Retry-After} header, or null
     * @param body       the body
     * @param now        the current time, for an HTTP-date retry-after
     */
    static DeliveryException fromResponse(String call, int status, String retryAfter, byte[] body, Instant now) {
        Optional<GraphError> parsed = GraphError.of(body);
        String message = "WhatsApp " + call + " answered HTTP " + status + parsed.map(e -> ": " + e.describe()).orElse("");
        Duration wait = retryAfter(retryAfter, now).orElse(null);
        if (parsed.isEmpty()) {
            return byStatus(status, message, wait);
        }
        GraphError error = parsed.get();
        int code = error.code();
        if (THROTTLED.contains(code) || status == 429) {
            return new RetryableDeliveryException(message, wait, null, status);
        }
        if (TEMPORARY.contains(code) || status >= 500) {
            return new RetryableDeliveryException(message, wait, null, status);
        }
        if (code == 131047 || code == 470) {
            return new PermanentDeliveryException(REENGAGEMENT_REQUIRED, message, null, status);
        }
        if (INVALID_RECIPIENT.contains(code)) {
            return new PermanentDeliveryException(ReasonCodes.INVALID_TARGET, message, null, status);
        }
        if (code == 131051) {
            return new PermanentDeliveryException(ReasonCodes.UNSUPPORTED_CONTENT, message, null, status);
        }
        if (code == 132001) {
            return new PermanentDeliveryException(TEMPLATE_NOT_FOUND, message, null, status);
        }
        if (code == 132000 || code == 132012) {
            return new PermanentDeliveryException(TEMPLATE_PARAMETER_MISMATCH, message, null, status);
        }
        if (code >= 132000 && code < 133000) {
            return new PermanentDeliveryException(TEMPLATE_REJECTED, message, null, status);
        }
        if (code == 131052 || code == 131053) {
            return new PermanentDeliveryException(MEDIA_REJECTED, message, null, status);
        }
        if (error.isBadToken() || status == 401) {
            return new PermanentDeliveryException(ReasonCodes.UNAUTHORIZED, message, null, status);
        }
        if (error.isNoSuchObject()) {
            // The configured phone number id does not exist for this token.
            return new PermanentDeliveryException(ReasonCodes.INVALID_CONFIGURATION, message, null, status);
        }
        if (LASTING_LIMITS.contains(code)) {
            return new PermanentDeliveryException(ReasonCodes.RATE_LIMITED, message, null, status);
        }
        if (FORBIDDEN.contains(code) || (code >= 200 && code < 300) || status == 403) {
            return new PermanentDeliveryException(ReasonCodes.FORBIDDEN, message, null, status);
        }
        return byStatus(status, message, wait);
    }

    private static DeliveryException byStatus(int status, String message, Duration wait) {
        if (status == 429 || status == 408 || status >= 500) {
            return new RetryableDeliveryException(message, wait, null, status);
        }
        return new PermanentDeliveryException(switch (status) {
            case 401 -> ReasonCodes.UNAUTHORIZED;
            case 403 -> ReasonCodes.FORBIDDEN;
            case 404 -> ReasonCodes.INVALID_CONFIGURATION;
            case 413 -> ReasonCodes.CONTENT_TOO_LARGE;
            default -> ReasonCodes.CONTENT_REJECTED;
        }, message, null, status);
    }

    /**
     * A success status around an answer that lacks what it must carry: retrying may send the message twice.
     *
     * @param call    what was called, for the message
     * @param status  the HTTP status
     * @param problem what is wrong with the answer
     */
    static PermanentDeliveryException unreadableAnswer(String call, int status, String problem) {
        return new PermanentDeliveryException(ReasonCodes.PLATFORM_ERROR, "WhatsApp " + call + " answered HTTP " + status + " " + problem,
                null, status);
    }

    /** No answer at all: a network error or a timeout. */
    static RetryableDeliveryException unreachable(String call, Throwable failure) {
        String reason = failure instanceof HttpTimeoutException ? "timed out"
                : failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new RetryableDeliveryException("WhatsApp " + call + " did not answer: " + reason,
                failure instanceof IOException || failure instanceof RuntimeException ? failure : null);
    }

    /**
     * Maps a failed read of the phone number while validating a configuration: a token Meta
     * refuses names {@code accessToken}, an id it does not know names {@code phoneNumberId}, each
     * with Meta's own message (carried in the failure's).
     */
    static InvalidConfigurationException toInvalidConfiguration(DeliveryException failure) {
        String reason = failure instanceof PermanentDeliveryException permanent ? permanent.reasonCode() : "";
        return switch (reason) {
            case ReasonCodes.UNAUTHORIZED -> new InvalidConfigurationException(WhatsAppSettings.ACCESS_TOKEN,
                    "WhatsApp refused the access token. " + failure.getMessage(), failure);
            case ReasonCodes.FORBIDDEN -> new InvalidConfigurationException(WhatsAppSettings.ACCESS_TOKEN,
                    "The access token may not use this phone number (it needs whatsapp_business_messaging). " + failure.getMessage(), failure);
            case ReasonCodes.INVALID_CONFIGURATION -> new InvalidConfigurationException(WhatsAppSettings.PHONE_NUMBER_ID,
                    "WhatsApp has no phone number with this id for this access token. " + failure.getMessage(), failure);
            default -> new InvalidConfigurationException(WhatsAppSettings.PHONE_NUMBER_ID,
                    "WhatsApp could not check the phone number. " + failure.getMessage(), failure);
        };
    }

    /** {@code Retry-After} in seconds or as an HTTP date (RFC 9110). */
    static Optional<Duration> retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (trimmed.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            Duration delay = Duration.between(now, ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Integer integer(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
