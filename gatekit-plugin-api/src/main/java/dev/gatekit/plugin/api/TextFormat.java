package dev.gatekit.plugin.api;

/** How {@link MessageContent#text()} is to be interpreted. */
public enum TextFormat {
    /** Literal text; a plugin escapes whatever the platform would otherwise interpret. */
    PLAIN,
    /** CommonMark-style markdown; a plugin converts it to the platform's dialect. */
    MARKDOWN,
    /** A small HTML subset (b, i, u, s, a, code, pre); a plugin converts it as it can. */
    HTML
}
