package dev.gatekit.plugin.api;

/**
 * A platform configuration is unusable: a field is missing, malformed, or refused by the platform.
 * The host reports it to the caller with the field's name.
 */
public class InvalidConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * Creates the failure.
     *
     * @param field   the name of the offending {@link ConfigField}, or null when no single field
     *                is to blame
     * @param message a human description; never include the value of a secret
     */
    public InvalidConfigurationException(String field, String message) {
        this(field, message, null);
    }

    /**
     * Creates the failure with a cause.
     *
     * @param field   the name of the offending field, or null
     * @param message a human description
     * @param cause   the underlying failure, or null
     */
    public InvalidConfigurationException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /**
     * The offending field.
     *
     * @return its name, or null when no single field is to blame
     */
    public String field() {
        return field;
    }
}
