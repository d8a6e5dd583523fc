package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.exceptions.MissingAccessException;
import net.dv8tion.jda.api.exceptions.RateLimitedException;

/**
 * The one place where Discord's answers, as JDA surfaces them, become GateKit's typed failures.
 *
 * <p>Discord answers an error with an HTTP status and {@code {"code": <JSON error code>, "message": ...}};
 * the JSON code is the precise, documented reason, the status the coarse one. Rate limits are JDA's to
 * queue within its buckets; one longer than {@link RateLimitGuard#QUEUE_AT_MOST} surfaces here with
 * Discord's {@code retry_after}. A 5xx, a network error, a timeout or a session that is not (yet)
 * connected is retried. A failure Discord answered carries its HTTP status as the platform status;
 * one JDA decided on its own (a permission it knows is missing, a limit it checks) carries none.
 */
final class DiscordFailures {

    /** JSON code 10003: the channel or thread does not exist, or the bot cannot see it. */
    static final String UNKNOWN_CHANNEL = "unknown_channel";
    /** JSON code 10013: no such user. */
    static final String UNKNOWN_USER = "unknown_user";
    /** JSON code 10008: the message to reply to does not exist. */
    static final String UNKNOWN_MESSAGE = "unknown_message";
    /** JSON code 50001: the bot cannot see the channel (not in the guild, or no View Channel). */
    static final String MISSING_ACCESS = "missing_access";
    /** JSON code 50013: the bot lacks a permission it needs (Send Messages, Attach Files, Embed Links...). */
    static final String MISSING_PERMISSIONS = "missing_permissions";
    /** JSON code 50007: the user does not accept direct messages from the bot. */
    static final String CANNOT_DM_USER = "cannot_dm_user";
    /** JSON code 50035: Discord refused the message's fields; the message names them. */
    static final String INVALID_FORM_BODY = "invalid_form_body";
    /** JSON codes 50083 and 160005: the thread is archived or locked. */
    static final String THREAD_CLOSED = "thread_closed";
    /** An attachment URL answered with a client error (gone, forbidden). */
    static final String ATTACHMENT_UNAVAILABLE = "attachment_unavailable";
    /** An attachment URL points at a loopback or private address and the configuration does not allow it. */
    static final String BLOCKED_ADDRESS = "blocked_address";

    private static final Map<Integer, String> BY_JSON_CODE = Map.ofEntries(
            Map.entry(10003, UNKNOWN_CHANNEL),
            Map.entry(10013, UNKNOWN_USER),
            Map.entry(10008, UNKNOWN_MESSAGE),
            Map.entry(10004, ReasonCodes.INVALID_TARGET), // unknown guild
            Map.entry(50001, MISSING_ACCESS),
            Map.entry(50013, MISSING_PERMISSIONS),
            Map.entry(50007, CANNOT_DM_USER),
            Map.entry(50035, INVALID_FORM_BODY),
            Map.entry(50006, ReasonCodes.CONTENT_REJECTED), // empty message
            Map.entry(40005, ReasonCodes.CONTENT_TOO_LARGE),
            Map.entry(50083, THREAD_CLOSED),
            Map.entry(160005, THREAD_CLOSED),
            Map.entry(200000, ReasonCodes.CONTENT_REJECTED), // blocked by AutoMod
            Map.entry(240000, ReasonCodes.CONTENT_REJECTED), // blocked by the harmful link filter
            Map.entry(40001, ReasonCodes.UNAUTHORIZED),
            Map.entry(50014, ReasonCodes.UNAUTHORIZED)); // invalid authentication token

    private static final int UNAUTHORIZED = 401;
    private static final int TOO_MANY_REQUESTS = 429;

    private DiscordFailures() {
    }

    /**
     * Maps what a send failed with.
     *
     * @param failure     what the future completed with (wrappers are taken off)
     * @param rateLimited the delay Discord asked for on this call's route, when the call was given up
     *                    because of it; null otherwise
     * @return the failure to complete the send with
     */
    static DeliveryException toDelivery(Throwable failure, Duration rateLimited) {
        Throwable cause = unwrap(failure);
        if (cause instanceof DeliveryException delivery) {
            return delivery;
        }
        if (cause instanceof ErrorResponseException error) {
            return fromErrorResponse(error);
        }
        if (cause instanceof RateLimitedException limited) {
            return new RetryableDeliveryException("Discord rate limit on " + limited.getRateLimitedRoute(),
                    Duration.ofMillis(limited.getRetryAfter()), limited, TOO_MANY_REQUESTS);
        }
        if (cause instanceof CancellationException && rateLimited != null) {
            // Given up on Discord's 429 (see RateLimitGuard).
            return new RetryableDeliveryException("Discord rate limited the call; retry after " + rateLimited.toMillis() + " ms",
                    rateLimited, null, TOO_MANY_REQUESTS);
        }
        if (cause instanceof MissingAccessException missing) {
            return new PermanentDeliveryException(MISSING_ACCESS, "the bot cannot access the channel: " + missing.getMessage(), missing);
        }
        if (cause instanceof InsufficientPermissionException permission) {
            return new PermanentDeliveryException(MISSING_PERMISSIONS,
                    "the bot lacks the permission " + permission.getPermission().getName(), permission);
        }
        if (cause instanceof InvalidTokenException token) {
            return new PermanentDeliveryException(ReasonCodes.UNAUTHORIZED, "Discord refused the bot token (401 on users/@me)", token,
                    UNAUTHORIZED);
        }
        if (cause instanceof IllegalArgumentException invalid) {
            // JDA checks Discord's documented limits (lengths, counts) before calling.
            return new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED, "Discord would refuse the message: " + invalid.getMessage(), invalid);
        }
        if (cause instanceof TimeoutException || cause instanceof CancellationException
                || cause instanceof RejectedExecutionException || cause instanceof IOException) {
            return new RetryableDeliveryException("Discord did not answer: " + describe(cause), cause);
        }
        return new RetryableDeliveryException("Discord send failed: " + describe(cause), cause);
    }

    private static DeliveryException fromErrorResponse(ErrorResponseException error) {
        int status = error.getResponse().code;
        int code = error.getErrorCode();
        String message = "Discord answered " + (status > 0 ? "HTTP " + status + ", " : "") + "code " + code + ": " + error.getMeaning()
                + schemaErrors(error);
        if (error.getResponse().getException() != null || status < 0) {
            return new RetryableDeliveryException("cannot reach Discord: " + describe(error.getResponse().getException()), error);
        }
        if (status == TOO_MANY_REQUESTS) {
            return new RetryableDeliveryException(message, retryAfter(error), error, status);
        }
        if (status >= 500 || status == 408) {
            return new RetryableDeliveryException(message, null, error, status);
        }
        if (status == UNAUTHORIZED) {
            return new PermanentDeliveryException(ReasonCodes.UNAUTHORIZED, message, error, status);
        }
        String reason = BY_JSON_CODE.get(code);
        if (reason == null) {
            reason = switch (status) {
                case 403 -> ReasonCodes.FORBIDDEN;
                case 404 -> ReasonCodes.INVALID_TARGET;
                case 413 -> ReasonCodes.CONTENT_TOO_LARGE;
                case 400 -> ReasonCodes.CONTENT_REJECTED;
                default -> ReasonCodes.REJECTED_BY_ENDPOINT;
            };
        }
        return new PermanentDeliveryException(reason, message, error, status);
    }

    /**
     * Maps the answer to {@code GET users/@me} while validating a configuration: a token Discord
     * refuses names {@code botToken}.
     *
     * @param status the HTTP status, or -1 when Discord could not be reached
     * @param detail Discord's message, or the network error
     * @return the failure to throw
     */
    static InvalidConfigurationException toInvalidConfiguration(int status, String detail) {
        if (status == 401 || status == 403) {
            return new InvalidConfigurationException(DiscordSettings.BOT_TOKEN, "Discord refused the bot token: " + detail);
        }
        return new InvalidConfigurationException(DiscordSettings.BOT_TOKEN, "cannot check the bot token with Discord ("
                + (status < 0 ? "" : "HTTP " + status + ": ") + detail + ")");
    }

    /**
     * Maps the failure of an attachment download: a client error is permanent, anything else retried.
     *
     * @param url    the attachment URL, for the message
     * @param status the HTTP status, or -1 for a network error
     * @param cause  the network error, or null
     * @return the failure
     */
    static DeliveryException attachmentFailed(String url, int status, Throwable cause) {
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return new PermanentDeliveryException(ATTACHMENT_UNAVAILABLE, "attachment " + url + " answered HTTP " + status);
        }
        return new RetryableDeliveryException("cannot fetch attachment " + url + ": "
                + (status > 0 ? "HTTP " + status : describe(cause)), cause);
    }

    private static Duration retryAfter(ErrorResponseException error) {
        okhttp3.Response raw = error.getResponse().getRawResponse();
        String header = raw == null ? null : raw.header("Retry-After");
        return RateLimitGuard.seconds(header);
    }

    private static String schemaErrors(ErrorResponseException error) {
        if (error.getSchemaErrors().isEmpty()) {
            return "";
        }
        return " (" + error.getSchemaErrors().stream()
                .map(schema -> schema.getLocation() + ": " + schema.getErrors().stream()
                        .map(e -> e.getCode() + " " + e.getMessage()).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; ")) + ")";
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
