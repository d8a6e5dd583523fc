package dev.gatekit.plugin.api;

import java.util.Objects;

/**
 * The value for one button of a {@link MessageTemplate} that takes one.
 *
 * @param index the button's position in the template, from 0
 * @param kind  the kind of button
 * @param value for {@link Kind#QUICK_REPLY}, the value sent back as an {@link InteractionReceived}
 *              when pressed; for {@link Kind#URL}, the text appended to the template's URL
 * @since 1.2.0
 */
public record TemplateButtonParameter(int index, Kind kind, String value) {

    /** The kinds of template button that take a value. */
    public enum Kind {
        /** A button that sends {@link #value()} back when pressed. */
        QUICK_REPLY,
        /** A link button whose URL ends with {@link #value()}. */
        URL
    }

    /**
     * Validates the button.
     *
     * @throws IllegalArgumentException when the index is negative or the value blank
     */
    public TemplateButtonParameter {
        if (index < 0) {
            throw new IllegalArgumentException("template button index must not be negative: " + index);
        }
        Objects.requireNonNull(kind, "kind");
        Values.requireText(value, "template button value");
    }
}
