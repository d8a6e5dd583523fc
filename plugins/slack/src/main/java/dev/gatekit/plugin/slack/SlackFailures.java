package dev.gatekit.plugin.slack;

import com.slack.api.methods.SlackApiException;
import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one place where Slack's answers become GateKit's typed failures.
 *
 * <p>Slack answers almost everything with HTTP 200 and {@code {"ok":false,"error":"<code>"}}; the
 * code is a stable, documented identifier. Rate limits come as HTTP 429 with {@code Retry-After}
 * in seconds (and the error {@code ratelimited}). Anything that is not Slack's own answer (a
 * network error, a timeout, a 5xx, an HTML error page) is retried.
 */
final class SlackFailures {

    /** The bot is not a member of the channel (not_in_channel): invite it. */
    static final String BOT_NOT_MEMBER = "bot_not_member";
    /** The channel is archived (is_archived). */
    static final String CHANNEL_ARCHIVED = "channel_archived";
    /** The thread to post in does not exist (thread_not_found). */
    static final String INVALID_THREAD = "invalid_thread";

    /** Slack's errors that a later attempt may get past. */
    private static final Set<String> RETRYABLE = Set.of("ratelimited", "rate_limited", "internal_error",
            "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org");

    private static final Map<String, String> PERMANENT = Map.ofEntries(
            Map.entry("channel_not_found", ReasonCodes.INVALID_TARGET),
            Map.entry("user_not_found", ReasonCodes.INVALID_TARGET),
            Map.entry("users_not_found", ReasonCodes.INVALID_TARGET),
            Map.entry("user_not_visible", ReasonCodes.INVALID_TARGET),
            Map.entry("user_disabled", ReasonCodes.INVALID_TARGET),
            Map.entry("cannot_dm_bot", ReasonCodes.INVALID_TARGET),
            Map.entry("messages_tab_disabled", ReasonCodes.INVALID_TARGET),
            Map.entry("not_in_channel", BOT_NOT_MEMBER),
            Map.entry("is_archived", CHANNEL_ARCHIVED),
            Map.entry("thread_not_found", INVALID_THREAD),
            Map.entry("invalid_auth", ReasonCodes.UNAUTHORIZED),
            Map.entry("not_authed", ReasonCodes.UNAUTHORIZED),
            Map.entry("account_inactive", ReasonCodes.UNAUTHORIZED),
            Map.entry("token_revoked", ReasonCodes.UNAUTHORIZED),
            Map.entry("token_expired", ReasonCodes.UNAUTHORIZED),
            Map.entry("org_login_required", ReasonCodes.UNAUTHORIZED),
            Map.entry("missing_scope", ReasonCodes.FORBIDDEN),
            Map.entry("not_allowed_token_type", ReasonCodes.FORBIDDEN),
            Map.entry("no_permission", ReasonCodes.FORBIDDEN),
            Map.entry("access_denied", ReasonCodes.FORBIDDEN),
            Map.entry("ekm_access_denied", ReasonCodes.FORBIDDEN),
            Map.entry("team_access_not_granted", ReasonCodes.FORBIDDEN),
            Map.entry("restricted_action", ReasonCodes.FORBIDDEN),
            Map.entry("restricted_action_read_only_channel", ReasonCodes.FORBIDDEN),
            Map.entry("restricted_action_thread_only_channel", ReasonCodes.FORBIDDEN),
            Map.entry("restricted_action_non_threadable_channel", ReasonCodes.FORBIDDEN),
            Map.entry("msg_too_long", ReasonCodes.CONTENT_TOO_LARGE),
            Map.entry("msg_blocks_too_long", ReasonCodes.CONTENT_TOO_LARGE),
            Map.entry("too_many_attachments", ReasonCodes.CONTENT_TOO_LARGE),
            Map.entry("no_text", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_blocks", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_blocks_format", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_attachments", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_metadata_format", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_metadata_schema", ReasonCodes.CONTENT_REJECTED),
            Map.entry("metadata_too_large", ReasonCodes.CONTENT_TOO_LARGE),
            Map.entry("slack_connect_file_link_sharing_blocked", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_arguments", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_arg_name", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_array_arg", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_charset", ReasonCodes.CONTENT_REJECTED),
            Map.entry("invalid_form_data", ReasonCodes.CONTENT_REJECTED),
            Map.entry("duplicate_channel_not_found", ReasonCodes.INVALID_TARGET),
            Map.entry("unknown_method", ReasonCodes.INVALID_CONFIGURATION),
            Map.entry("method_deprecated", ReasonCodes.PLATFORM_ERROR),
            Map.entry("deprecated_endpoint", ReasonCodes.PLATFORM_ERROR));

    /** The errors that say the token itself is unusable, on {@code auth.test} and everywhere else. */
    private static final Set<String> TOKEN_REFUSED = Set.of("invalid_auth", "not_authed", "account_inactive",
            "token_revoked", "token_expired", "not_allowed_token_type");

    private SlackFailures() {
    }

    /**
     * Maps Slack's {@code "ok":false} answer. Its platform status is the HTTP status Slack answered
     * with (200 almost always); its {@code error} stays in the message.
     *
     * @param method  the Web API method, for the message
     * @param error   Slack's error code
     * @param status  the HTTP status of the answer
     * @param headers the HTTP headers of the answer (for {@code Retry-After}), or null
     * @return the failure to throw
     */
    static DeliveryException fromError(String method, String error, int status, Map<String, List<String>> headers) {
        String code = error == null || error.isBlank() ? "unknown_error" : error.trim().toLowerCase(Locale.ROOT);
        String message = "Slack " + method + " answered error " + code;
        if (RETRYABLE.contains(code)) {
            return new RetryableDeliveryException(message, retryAfter(headers), null, status);
        }
        return new PermanentDeliveryException(PERMANENT.getOrDefault(code, ReasonCodes.PLATFORM_ERROR), message, null, status);
    }

    /**
     * Maps what slack-api-client threw: a {@link SlackApiException} for an HTTP status other than
     * 200, an {@link IOException} for a network failure or timeout, a runtime exception for an
     * unreadable body.
     *
     * @param method  the Web API method, for the message
     * @param failure what the client threw
     * @return the failure to throw
     */
    static DeliveryException fromException(String method, Exception failure) {
        if (failure instanceof SlackApiException api && api.getResponse() != null) {
            int status = api.getResponse().code();
            String error = api.getError() == null ? null : api.getError().getError();
            String message = "Slack " + method + " answered HTTP " + status + (error == null ? "" : " error " + error);
            if (status == 429) {
                return new RetryableDeliveryException(message, retryAfter(api.getResponse().header("Retry-After")), failure, status);
            }
            if (status >= 500 || status == 408) {
                return new RetryableDeliveryException(message, null, failure, status);
            }
            if (error != null && !error.isBlank()) {
                DeliveryException mapped = fromError(method, error, status, null);
                if (mapped instanceof PermanentDeliveryException permanent) {
                    return new PermanentDeliveryException(permanent.reasonCode(), message, failure, status);
                }
                return new RetryableDeliveryException(message, null, failure, status);
            }
            String reason = switch (status) {
                case 401 -> ReasonCodes.UNAUTHORIZED;
                case 403 -> ReasonCodes.FORBIDDEN;
                // No such path: the API base URL does not point at Slack's Web API.
                case 404 -> ReasonCodes.INVALID_CONFIGURATION;
                case 413 -> ReasonCodes.CONTENT_TOO_LARGE;
                default -> ReasonCodes.REJECTED_BY_ENDPOINT;
            };
            return new PermanentDeliveryException(reason, message, failure, status);
        }
        return new RetryableDeliveryException("Slack " + method + " did not answer: " + describe(failure), failure);
    }

    /**
     * Maps a failed {@code auth.test} while validating a configuration: a token Slack refuses names
     * {@code botToken} with Slack's error code.
     *
     * @param failure what the call failed with
     * @return the failure to throw
     */
    static InvalidConfigurationException toInvalidConfiguration(DeliveryException failure) {
        String message = failure.getMessage();
        if (failure instanceof PermanentDeliveryException permanent) {
            boolean refused = ReasonCodes.UNAUTHORIZED.equals(permanent.reasonCode())
                    || TOKEN_REFUSED.stream().anyMatch(message::contains);
            return new InvalidConfigurationException(SlackSettings.BOT_TOKEN,
                    (refused ? "Slack refused the bot token: " : "Slack could not check the bot token: ") + message, failure);
        }
        return new InvalidConfigurationException(SlackSettings.BOT_TOKEN,
                "cannot reach Slack's Web API to check the bot token: " + message, failure);
    }

    private static Duration retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey()) && header.getValue() != null && !header.getValue().isEmpty()) {
                return retryAfter(header.getValue().get(0));
            }
        }
        return null;
    }

    /** Slack gives whole seconds; anything else is ignored and the host backs off on its own. */
    static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + text;
    }
}
