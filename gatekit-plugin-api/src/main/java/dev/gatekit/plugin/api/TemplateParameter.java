package dev.gatekit.plugin.api;

import java.util.Objects;

/**
 * The value of one placeholder of a {@link MessageTemplate}.
 *
 * @param type  what the value is
 * @param value the text for {@link Type#TEXT}, else the http(s) URL of the media; not blank
 * @param name  the placeholder's name for templates with named placeholders
 *              ({@code {{first_name}}}), or null for positional ones
 * @since 1.2.0
 */
public record TemplateParameter(Type type, String value, String name) {

    /** What a template parameter carries. */
    public enum Type {
        /** Text put in the placeholder. */
        TEXT,
        /** An image for a media header, by URL. */
        IMAGE,
        /** A video for a media header, by URL. */
        VIDEO,
        /** A document for a media header, by URL. */
        DOCUMENT
    }

    /**
     * Validates the parameter.
     *
     * @throws IllegalArgumentException when the value is blank
     */
    public TemplateParameter {
        Objects.requireNonNull(type, "type");
        Values.requireText(value, "template parameter value");
        name = Values.isBlank(name) ? null : name;
    }

    /**
     * A positional text parameter.
     *
     * @param value the text
     * @return the parameter
     */
    public static TemplateParameter text(String value) {
        return new TemplateParameter(Type.TEXT, value, null);
    }

    /**
     * A named text parameter.
     *
     * @param name  the placeholder's name
     * @param value the text
     * @return the parameter
     */
    public static TemplateParameter named(String name, String value) {
        return new TemplateParameter(Type.TEXT, value, Values.requireText(name, "template parameter name"));
    }
}
