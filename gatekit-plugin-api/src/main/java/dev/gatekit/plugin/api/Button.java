package dev.gatekit.plugin.api;

import java.net.URI;

/**
 * A button under a message: either an action that sends {@link #value()} back as an
 * {@link InteractionReceived}, or a link that opens {@link #url()}. Exactly one of the two is set.
 *
 * @param text  the label; not blank
 * @param value the value sent back when pressed, or null for a link button
 * @param url   the URL a link button opens, or null for an action button
 * @param style the look; defaults to {@link ButtonStyle#LINK} for a link and
 *              {@link ButtonStyle#PRIMARY} otherwise
 */
public record Button(String text, String value, URI url, ButtonStyle style) {

    /**
     * Validates the button.
     *
     * @throws IllegalArgumentException when the text is blank or not exactly one of value and
     *                                  url is set
     */
    public Button {
        Values.requireText(text, "button text");
        if ((value == null) == (url == null)) {
            throw new IllegalArgumentException("a button has exactly one of value and url: " + text);
        }
        if (style == null) {
            style = url != null ? ButtonStyle.LINK : ButtonStyle.PRIMARY;
        }
    }

    /**
     * An action button.
     *
     * @param text  the label
     * @param value the value sent back when pressed
     * @return the button
     */
    public static Button action(String text, String value) {
        return new Button(text, value, null, null);
    }

    /**
     * A link button.
     *
     * @param text the label
     * @param url  the URL it opens
     * @return the button
     */
    public static Button link(String text, URI url) {
        return new Button(text, null, url, ButtonStyle.LINK);
    }
}
