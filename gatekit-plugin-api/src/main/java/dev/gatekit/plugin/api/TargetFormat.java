package dev.gatekit.plugin.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a platform's ids of one {@link TargetType} look, declared with
 * {@link PlatformDescriptor.Builder#targetFormat}. The host checks every target against it before it
 * accepts a message, so a malformed id is a 422 naming the target rather than a message that fails
 * in the queue later. A plugin still checks at send time: messages queued before an upgrade that
 * added the format were never checked.
 *
 * @param pattern     what the whole id matches ({@link java.util.regex.Matcher#matches()})
 * @param description what a valid id is, for the error, such as
 *                    {@code a phone number in international format, such as +14155550123}
 * @since 1.3.0
 */
public record TargetFormat(Pattern pattern, String description) {

    /**
     * Validates the format.
     *
     * @throws NullPointerException     when the pattern is null
     * @throws IllegalArgumentException when the description is blank
     */
    public TargetFormat {
        Objects.requireNonNull(pattern, "pattern");
        Values.requireText(description, "description");
    }

    /**
     * Tells whether an id has this format.
     *
     * @param id the target id as the client sent it
     * @return true when the whole id matches the pattern
     */
    public boolean matches(String id) {
        return id != null && pattern.matcher(id).matches();
    }
}
