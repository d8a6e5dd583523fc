package dev.gatekit.plugin.api;

import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why {@link PlatformClient#send} failed. Sealed: it is either a
 * {@link RetryableDeliveryException} (the host tries again later) or a
 * {@link PermanentDeliveryException} (the message ends {@code failed}).
 */
public abstract sealed class DeliveryException extends Exception
        permits RetryableDeliveryException, PermanentDeliveryException {

    private static final long serialVersionUID = 1L;

    private final Integer platformStatus;

    /**
     * Creates the failure.
     *
     * @param message a human description; never include credentials
     * @param cause   the underlying failure, or null
     */
    protected DeliveryException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * Creates the failure with what the platform answered.
     *
     * @param message        a human description; never include credentials
     * @param cause          the underlying failure, or null
     * @param platformStatus the platform's answer status (an HTTP status, a platform error code), or
     *                       null when it gave none (a network error, a timeout)
     * @since 1.3.0
     */
    protected DeliveryException(String message, Throwable cause, Integer platformStatus) {
        super(message, cause);
        this.platformStatus = platformStatus;
    }

    /**
     * What the platform answered, recorded with the attempt and shown in the message's status.
     *
     * @return the platform's answer status, or empty when it gave none
     * @since 1.3.0
     */
    public OptionalInt platformStatus() {
        return platformStatus == null ? OptionalInt.empty() : OptionalInt.of(platformStatus);
    }

    /**
     * Tells whether trying again may succeed.
     *
     * @return true for a {@link RetryableDeliveryException}
     */
    public abstract boolean isRetryable();

    /**
     * The delivery failure inside what a failed {@link PlatformClient#sendAsync} stage completed
     * with: {@link CompletionException} and {@link ExecutionException} wrappers are taken off. A
     * {@link RuntimeException} or {@link Error} found there is rethrown as it is, since it is a bug
     * rather than a delivery outcome; any other checked exception counts as retryable.
     *
     * @param failure what the stage completed with
     * @return the delivery failure it carries
     * @since 1.1.0
     */
    public static DeliveryException unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof DeliveryException delivery) {
            return delivery;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new RetryableDeliveryException(String.valueOf(cause), cause);
    }
}
