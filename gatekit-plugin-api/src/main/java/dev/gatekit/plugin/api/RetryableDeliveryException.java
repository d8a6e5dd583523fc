package dev.gatekit.plugin.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A transient delivery failure: a network error, a timeout, a 5xx, or a rate limit. The host
 * retries with exponential back-off, or exactly after {@link #retryAfter()} when present.
 */
public final class RetryableDeliveryException extends DeliveryException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

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
        super(message, cause);
        this.retryAfter = retryAfter == null || !retryAfter.isNegative() ? retryAfter : Duration.ZERO;
    }

    /**
     * The delay the platform asked for (an HTTP {@code Retry-After}, a {@code retry_after} field).
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
