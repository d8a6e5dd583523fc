package dev.gatekit.plugin.api;

import java.util.List;

/**
 * What a message says: text, attachments or embeds (at least one of them), or else a
 * {@link MessageTemplate} alone.
 *
 * @param text        the text, or null when the message is only attachments, embeds or a template
 * @param format      how to read the text; {@link TextFormat#PLAIN} when null
 * @param attachments files to send; null means none
 * @param buttons     buttons under the message; null means none
 * @param embeds      rich cards; null means none
 * @param template    a template the platform approved in advance, or null; a template message
 *                    carries nothing else (since 1.2.0; only platforms declaring
 *                    {@link Capability#TEMPLATES} receive one)
 */
public record MessageContent(
        String text,
        TextFormat format,
        List<Attachment> attachments,
        List<Button> buttons,
        List<Embed> embeds,
        MessageTemplate template) {

    /**
     * Validates the content and copies its lists.
     *
     * @throws IllegalArgumentException when there is no text, attachment, embed or template, or a
     *                                  template comes with anything else
     */
    public MessageContent {
        format = format == null ? TextFormat.PLAIN : format;
        attachments = Values.list(attachments, "attachments");
        buttons = Values.list(buttons, "buttons");
        embeds = Values.list(embeds, "embeds");
        boolean hasOtherContent = !Values.isBlank(text) || !attachments.isEmpty() || !buttons.isEmpty() || !embeds.isEmpty();
        if (template != null && hasOtherContent) {
            throw new IllegalArgumentException("a template message carries no text, attachments, buttons or embeds");
        }
        if (template == null && Values.isBlank(text) && attachments.isEmpty() && embeds.isEmpty()) {
            throw new IllegalArgumentException("a message needs text, an attachment, an embed or a template");
        }
    }

    /**
     * Content without a template, as before API 1.2.0.
     *
     * @param text        the text, or null
     * @param format      how to read the text; {@link TextFormat#PLAIN} when null
     * @param attachments files to send; null means none
     * @param buttons     buttons under the message; null means none
     * @param embeds      rich cards; null means none
     * @throws IllegalArgumentException when there is no text, attachment or embed
     */
    public MessageContent(String text, TextFormat format, List<Attachment> attachments, List<Button> buttons, List<Embed> embeds) {
        this(text, format, attachments, buttons, embeds, null);
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

    /**
     * A template message.
     *
     * @param template the template and its values
     * @return the content
     * @since 1.2.0
     */
    public static MessageContent template(MessageTemplate template) {
        return new MessageContent(null, TextFormat.PLAIN, null, null, null, java.util.Objects.requireNonNull(template, "template"));
    }
}
