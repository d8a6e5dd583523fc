package dev.gatekit.plugin.api;

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
}
