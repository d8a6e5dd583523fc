package dev.gatekit.plugin.api;

import java.util.List;

/**
 * What a message says. At least one of text, attachments and embeds is present.
 *
 * @param text        the text, or null when the message is only attachments or embeds
 * @param format      how to read the text; {@link TextFormat#PLAIN} when null
 * @param attachments files to send; null means none
 * @param buttons     buttons under the message; null means none
 * @param embeds      rich cards; null means none
 */
public record MessageContent(
        String text,
        TextFormat format,
        List<Attachment> attachments,
        List<Button> buttons,
        List<Embed> embeds) {

    /**
     * Validates the content and copies its lists.
     *
     * @throws IllegalArgumentException when there is no text, attachment or embed
     */
    public MessageContent {
        format = format == null ? TextFormat.PLAIN : format;
        attachments = Values.list(attachments, "attachments");
        buttons = Values.list(buttons, "buttons");
        embeds = Values.list(embeds, "embeds");
        if (Values.isBlank(text) && attachments.isEmpty() && embeds.isEmpty()) {
            throw new IllegalArgumentException("a message needs text, an attachment or an embed");
        }
    }

    /**
     * Plain text content.
     *
     * @param text the text
     * @return the content
     */
    public static MessageContent text(String text) {
        return new MessageContent(text, TextFormat.PLAIN, null, null, null);
    }

    /**
     * Markdown content.
     *
     * @param text the markdown text
     * @return the content
     */
    public static MessageContent markdown(String text) {
        return new MessageContent(text, TextFormat.MARKDOWN, null, null, null);
    }
}
