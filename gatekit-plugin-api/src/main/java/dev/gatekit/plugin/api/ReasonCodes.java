package dev.gatekit.plugin.api;

/**
 * The common reason codes of a {@link PermanentDeliveryException}. Use one of these where it fits,
 * so callers can act on the code without knowing the platform; a plugin may use its own
 * lower-case {@code snake_case} code for anything else.
 */
public final class ReasonCodes {

    /** The target does not exist or cannot be reached (unknown chat, user blocked the bot). */
    public static final String INVALID_TARGET = "invalid_target";
    /** The platform refused the credentials (revoked or wrong token, bad signature). */
    public static final String UNAUTHORIZED = "unauthorized";
    /** The credentials are valid but lack the permission for this action. */
    public static final String FORBIDDEN = "forbidden";
    /** The platform refused the content (malformed, too long, against its rules). */
    public static final String CONTENT_REJECTED = "content_rejected";
    /** The content, or an attachment, is larger than the platform allows. */
    public static final String CONTENT_TOO_LARGE = "content_too_large";
    /** The message uses something this platform cannot carry. */
    public static final String UNSUPPORTED_CONTENT = "unsupported_content";
    /** A rate limit that waiting will not lift (a daily quota spent). Use a retryable failure otherwise. */
    public static final String RATE_LIMITED = "rate_limited";
    /** A generic endpoint refused the message with a 4xx status not covered above. */
    public static final String REJECTED_BY_ENDPOINT = "rejected_by_endpoint";
    /** The configuration is unusable for sending (a required value is missing or malformed). */
    public static final String INVALID_CONFIGURATION = "invalid_configuration";
    /** The platform failed in a way retrying will not fix. */
    public static final String PLATFORM_ERROR = "platform_error";

    private ReasonCodes() {
    }
}
