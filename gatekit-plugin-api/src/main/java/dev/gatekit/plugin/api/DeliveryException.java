package dev.gatekit.plugin.api;

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

    /**
     * Creates the failure.
     *
     * @param message a human description; never include credentials
     * @param cause   the underlying failure, or null
     */
    protected DeliveryException(String message, Throwable cause) {
        super(message, cause);
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
