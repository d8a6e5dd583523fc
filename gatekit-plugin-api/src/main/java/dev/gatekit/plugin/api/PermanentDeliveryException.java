package dev.gatekit.plugin.api;

import java.util.regex.Pattern;

/**
 * A delivery failure that retrying cannot fix. The message ends {@code failed} with
 * {@link #reasonCode()}.
 */
public final class PermanentDeliveryException extends DeliveryException {

    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]*");

    private final String reasonCode;

    /**
     * A permanent failure.
     *
     * @param reasonCode a {@link ReasonCodes} constant, or the plugin's own lower-case
     *                   {@code snake_case} code
     * @param message    a human description; never include credentials
     * @throws IllegalArgumentException when the code is not lower-case snake_case
     */
    public PermanentDeliveryException(String reasonCode, String message) {
        this(reasonCode, message, null);
    }

    /**
     * A permanent failure with a cause.
     *
     * @param reasonCode a {@link ReasonCodes} constant, or the plugin's own code
     * @param message    a human description
     * @param cause      the underlying failure, or null
     * @throws IllegalArgumentException when the code is not lower-case snake_case
     */
    public PermanentDeliveryException(String reasonCode, String message, Throwable cause) {
        this(reasonCode, message, cause, null);
    }

    /**
     * A permanent failure with the platform's answer status.
     *
     * @param reasonCode     a {@link ReasonCodes} constant, or the plugin's own code
     * @param message        a human description
     * @param cause          the underlying failure, or null
     * @param platformStatus the platform's answer status (such as HTTP 404), or null
     * @throws IllegalArgumentException when the code is not lower-case snake_case
     * @since 1.3.0
     */
    public PermanentDeliveryException(String reasonCode, String message, Throwable cause, Integer platformStatus) {
        super(message, cause, platformStatus);
        if (reasonCode == null || !CODE.matcher(reasonCode).matches()) {
            throw new IllegalArgumentException("reason code must be lower-case snake_case: " + reasonCode);
        }
        this.reasonCode = reasonCode;
    }

    /**
     * The machine-readable reason, such as {@link ReasonCodes#INVALID_TARGET}.
     *
     * @return the code
     */
    public String reasonCode() {
        return reasonCode;
    }

    /** {@inheritDoc} */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
