package dev.gatekit.plugin.telegram;

import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.telegram.telegrambots.meta.api.objects.ResponseParameters;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiValidationException;

/**
 * The one place where Telegram's answers become GateKit's typed failures.
 *
 * <p>Telegram answers {@code {"ok":false,"error_code":N,"description":"...","parameters":{...}}}.
 * The code says the class of failure (429, 5xx, 401, 403, 400); the description says which one,
 * and its wording is stable enough that bot libraries everywhere match on it.
 */
final class TelegramFailures {

    /** The user blocked the bot (403 "bot was blocked by the user"). */
    static final String BOT_BLOCKED = "bot_blocked";
    /** The bot was removed from the group or channel, or never added (403 "bot was kicked", "bot is not a member"). */
    static final String BOT_NOT_MEMBER = "bot_not_member";
    /** The user deleted their account (403 "user is deactivated"). */
    static final String USER_DEACTIVATED = "user_deactivated";
    /** A bot cannot message a user who never started it (403 "bot can't initiate conversation with a user"). */
    static final String CONVERSATION_NOT_STARTED = "conversation_not_started";
    /** The forum topic does not exist or is closed (400 "message thread not found", "TOPIC_CLOSED"). */
    static final String INVALID_THREAD = "invalid_thread";
    /** Telegram could not fetch or use an attachment (400 "failed to get HTTP URL content", "wrong file identifier"...). */
    static final String ATTACHMENT_REJECTED = "attachment_rejected";

    private record Rule(String fragment, String reasonCode) {
    }

    /** Checked in order against the lower-cased description; the first fragment found wins. */
    private static final List<Rule> RULES = List.of(
            new Rule("bot was blocked by the user", BOT_BLOCKED),
            new Rule("user is deactivated", USER_DEACTIVATED),
            new Rule("can't initiate conversation", CONVERSATION_NOT_STARTED),
            new Rule("bot was kicked", BOT_NOT_MEMBER),
            new Rule("bot is not a member", BOT_NOT_MEMBER),
            new Rule("chat not found", ReasonCodes.INVALID_TARGET),
            new Rule("user not found", ReasonCodes.INVALID_TARGET),
            new Rule("peer_id_invalid", ReasonCodes.INVALID_TARGET),
            new Rule("chat_id is empty", ReasonCodes.INVALID_TARGET),
            new Rule("group chat was deactivated", ReasonCodes.INVALID_TARGET),
            new Rule("upgraded to a supergroup", ReasonCodes.INVALID_TARGET),
            new Rule("not enough rights", ReasonCodes.FORBIDDEN),
            new Rule("have no rights", ReasonCodes.FORBIDDEN),
            new Rule("chat_write_forbidden", ReasonCodes.FORBIDDEN),
            new Rule("chat_admin_required", ReasonCodes.FORBIDDEN),
            new Rule("need administrator rights", ReasonCodes.FORBIDDEN),
            new Rule("message thread not found", INVALID_THREAD),
            new Rule("topic_closed", INVALID_THREAD),
            new Rule("topic_deleted", INVALID_THREAD),
            new Rule("message is too long", ReasonCodes.CONTENT_TOO_LARGE),
            new Rule("caption is too long", ReasonCodes.CONTENT_TOO_LARGE),
            new Rule("too big", ReasonCodes.CONTENT_TOO_LARGE),
            new Rule("request entity too large", ReasonCodes.CONTENT_TOO_LARGE),
            new Rule("failed to get http url content", ATTACHMENT_REJECTED),
            new Rule("wrong type of the web page content", ATTACHMENT_REJECTED),
            new Rule("wrong file identifier", ATTACHMENT_REJECTED),
            new Rule("wrong remote file identifier", ATTACHMENT_REJECTED),
            new Rule("image_process_failed", ATTACHMENT_REJECTED),
            new Rule("photo_invalid_dimensions", ATTACHMENT_REJECTED),
            new Rule("failed to get content", ATTACHMENT_REJECTED),
            new Rule("can't parse", ReasonCodes.CONTENT_REJECTED),
            new Rule("message text is empty", ReasonCodes.CONTENT_REJECTED),
            new Rule("button_data_invalid", ReasonCodes.CONTENT_REJECTED),
            new Rule("button_url_invalid", ReasonCodes.CONTENT_REJECTED),
            new Rule("wrong http url", ReasonCodes.CONTENT_REJECTED),
            new Rule("unsupported url protocol", ReasonCodes.CONTENT_REJECTED),
            new Rule("message to be replied not found", ReasonCodes.CONTENT_REJECTED));

    private TelegramFailures() {
    }

    /** Telegram's error code, description and parameters, or nothing when it never answered in its own shape. */
    record Answer(int errorCode, String description, Long migrateToChatId, Integer retryAfterSeconds) {

        static Optional<Answer> of(Throwable failure) {
            if (failure instanceof TelegramApiRequestException request && request.getErrorCode() != null
                    && request.getErrorCode() != 0) {
                ResponseParameters parameters = request.getParameters();
                return Optional.of(new Answer(request.getErrorCode(),
                        request.getApiResponse() == null ? "" : request.getApiResponse(),
                        parameters == null ? null : parameters.getMigrateToChatId(),
                        parameters == null ? null : parameters.getRetryAfter()));
            }
            return Optional.empty();
        }
    }

    /** The supergroup a group became, when Telegram says so (400 with {@code parameters.migrate_to_chat_id}). */
    static Optional<Long> migratedTo(TelegramApiException failure) {
        return Answer.of(failure).map(Answer::migrateToChatId);
    }

    /**
     * What a failed {@code executeAsync} stage carries, as telegrambots' blocking {@code execute}
     * would have thrown it: the {@link TelegramApiException} itself, or anything else (a network
     * error, a cancelled call) wrapped in one.
     *
     * @param method  the Bot API method, for the message
     * @param failure what the stage completed with
     * @return the exception to map
     */
    static TelegramApiException asTelegramException(String method, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TelegramApiException telegram) {
            return telegram;
        }
        return new TelegramApiException("Unable to execute " + method + " method", cause);
    }

    /**
     * Maps a failed call to what {@code send} throws.
     *
     * @param method  the Bot API method, for the message
     * @param failure what telegrambots threw
     * @return the failure to throw
     */
    static DeliveryException toDeliveryException(String method, TelegramApiException failure) {
        if (failure instanceof TelegramApiValidationException) {
            // telegrambots refused to build the request: the content itself is malformed.
            return new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED,
                    method + " refused before sending: " + failure.getMessage(), failure);
        }
        Optional<Answer> answer = Answer.of(failure);
        if (answer.isEmpty()) {
            // No Telegram answer at all: a network error, a timeout, a body that was not the Bot API's.
            String cause = rootMessage(failure);
            return new RetryableDeliveryException("Telegram " + method + " did not answer: " + cause, failure);
        }
        return fromAnswer(method, answer.get(), failure);
    }

    /**
     * Maps Telegram's answer. Its {@code error_code} is the HTTP status it answered with (and
     * {@link BotApi} puts the HTTP status there for an answer that is not the Bot API's), so it is
     * also the failure's platform status.
     */
    static DeliveryException fromAnswer(String method, Answer answer, Throwable cause) {
        int code = answer.errorCode();
        String description = answer.description();
        String message = "Telegram " + method + " answered " + code + ": " + description;
        if (code == 429) {
            Duration retryAfter = answer.retryAfterSeconds() == null ? null : Duration.ofSeconds(answer.retryAfterSeconds());
            return new RetryableDeliveryException(message, retryAfter, cause, code);
        }
        if (code >= 500 || code == 408 || code < 300) {
            // Below 300: a success status around a body that is not the Bot API's (a captive portal, a cut answer).
            return new RetryableDeliveryException(message, null, cause, code);
        }
        if (code == 401 || code == 404) {
            // 401: the token was revoked or is wrong; 404: the token is malformed (no such bot path).
            return new PermanentDeliveryException(ReasonCodes.UNAUTHORIZED, message, cause, code);
        }
        String lower = description.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (lower.contains(rule.fragment())) {
                return new PermanentDeliveryException(rule.reasonCode(), message, cause, code);
            }
        }
        if (code == 413) {
            return new PermanentDeliveryException(ReasonCodes.CONTENT_TOO_LARGE, message, cause, code);
        }
        if (code == 403) {
            return new PermanentDeliveryException(ReasonCodes.FORBIDDEN, message, cause, code);
        }
        return new PermanentDeliveryException(ReasonCodes.REJECTED_BY_ENDPOINT, message, cause, code);
    }

    /**
     * Maps a failed {@code getMe} while validating a configuration: Telegram refusing the token
     * names the {@code botToken} field with Telegram's own description.
     */
    static InvalidConfigurationException toInvalidConfiguration(TelegramApiException failure) {
        Optional<Answer> answer = Answer.of(failure);
        if (answer.isPresent()) {
            Answer given = answer.get();
            String description = given.description().isBlank() ? "error " + given.errorCode() : given.description();
            if (given.errorCode() == 401 || given.errorCode() == 404) {
                return new InvalidConfigurationException(TelegramSettings.BOT_TOKEN,
                        "Telegram refused the bot token: " + description, failure);
            }
            return new InvalidConfigurationException(TelegramSettings.BOT_TOKEN,
                    "Telegram could not check the bot token: " + description, failure);
        }
        return new InvalidConfigurationException(TelegramSettings.BOT_TOKEN,
                "cannot reach the Telegram Bot API to check the bot token: " + rootMessage(failure), failure);
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root instanceof IOException && root != failure ? root.getClass().getSimpleName() + ": " + text : text;
    }
}
