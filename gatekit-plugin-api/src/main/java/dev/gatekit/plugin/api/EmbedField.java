package dev.gatekit.plugin.api;

/**
 * A name/value pair inside an {@link Embed}.
 *
 * @param name   the field title; not blank
 * @param value  the field text; not blank
 * @param inline true to lay the field out next to its neighbours where the platform can
 */
public record EmbedField(String name, String value, boolean inline) {

    /**
     * Validates the field.
     *
     * @throws IllegalArgumentException when the name or value is blank
     */
    public EmbedField {
        Values.requireText(name, "embed field name");
        Values.requireText(value, "embed field value");
    }
}
