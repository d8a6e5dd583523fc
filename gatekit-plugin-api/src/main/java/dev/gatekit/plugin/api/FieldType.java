package dev.gatekit.plugin.api;

/**
 * The type of a {@link ConfigField}'s value. Every value travels as a string; the type tells the
 * host how to validate it and an admin UI how to render it.
 */
public enum FieldType {
    /** Free text. */
    STRING,
    /** An absolute {@code http} or {@code https} URL. */
    URL,
    /** A decimal integer. */
    INTEGER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A secret string (token, key, password): stored encrypted, never shown, never logged. */
    SECRET
}
