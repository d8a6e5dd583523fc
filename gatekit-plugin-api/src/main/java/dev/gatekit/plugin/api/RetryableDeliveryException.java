package dev.gatekit.plugin.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A transient delivery failure: a network error, a timeout, a 5xx, or a rate limit. The host
 * retries with exponential back-off; when {@link #retryAfter()} is present it waits at least that
 * long (a little more, so that many targets told the same delay do not all come back at once), and
 * such a wait does not count against the target's attempts.
 */
public final class RetryableDeliveryException extends DeliveryException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;
    private final transient List<String> deliveredParts;

    /**
     * A retryable failure without a platform-given delay.
     *
     * @param message a human description
     */
    public RetryableDeliveryException(String message) {
        this(message, null, null);
    }

    /**
     * A retryable failure without a platform-given delay.
     *
     * @param message a human description
     * @param cause   the underlying failure, or null
     */
    public RetryableDeliveryException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /**
     * A retryable failure with the delay the platform asked for.
     *
     * @param message    a human description
     * @param retryAfter how long to wait before the next attempt, or null when the platform gave
     *                   no delay; negative values count as zero
     * @param cause      the underlying failure, or null
     */
    public RetryableDeliveryException(String message, Duration retryAfter, Throwable cause) {
        this(message, retryAfter, cause, null);
    }

    /**
     * A retryable failure with the delay the platform asked for and its answer status.
     *
     * @param message        a human description
     * @param retryAfter     the least time to wait before the next attempt, or null; negative values count as zero
     * @param cause          the underlying failure, or null
     * @param platformStatus the platform's answer status (such as HTTP 503), or null
     * @since 1.3.0
     */
    public RetryableDeliveryException(String message, Duration retryAfter, Throwable cause, Integer platformStatus) {
        this(message, retryAfter, cause, platformStatus, null);
    }

    private RetryableDeliveryException(String message, Duration retryAfter, Throwable cause, Integer platformStatus,
                                       List<String> deliveredParts) {
        super(message, cause, platformStatus);
        this.retryAfter = retryAfter == null || !retryAfter.isNegative() ? retryAfter : Duration.ZERO;
        this.deliveredParts = Values.list(deliveredParts, "deliveredParts");
    }

    /**
     * This failure of a message split into parts, saying which parts were delivered before it. The
     * host passes them to the next attempt as {@link OutboundMessage#deliveredParts()}, so that
     * attempt sends only the rest.
     *
     * @param delivered the platform message ids of every part delivered so far (those of earlier
     *                  attempts first), in order
     * @return a copy carrying them, with the same message, retry-after, cause and platform status
     * @since 1.3.0
     */
    public RetryableDeliveryException withDeliveredParts(List<String> delivered) {
        return new RetryableDeliveryException(getMessage(), retryAfter, getCause(),
                platformStatus().isPresent() ? platformStatus().getAsInt() : null, delivered);
    }

    /**
     * The platform message ids of the parts delivered before this failure, in order.
     *
     * @return the ids; empty when nothing was delivered
     * @since 1.3.0
     */
    public List<String> deliveredParts() {
        return deliveredParts;
    }

    /**
     * The delay the platform asked for (an HTTP {@code Retry-After}, a {@code retry_after} field):
     * the host waits at least this long.
     *
     * @return the delay, or empty to let the host back off on its own
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** {@inheritDoc} */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
