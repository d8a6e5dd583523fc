package dev.gatekit.plugin.api;

/** The look of a {@link Button}; a platform maps it to its closest style or ignores it. */
public enum ButtonStyle {
    /** The main action. */
    PRIMARY,
    /** A secondary action. */
    SECONDARY,
    /** A positive action (confirm, approve). */
    SUCCESS,
    /** A destructive action (delete, reject). */
    DANGER,
    /** A button that opens {@link Button#url()}. */
    LINK
}
