package dev.gatekit.plugin.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A rich card (Discord embed, Slack attachment block, ...). Every part is optional, but an embed
 * shows at least a title, a description, an image or a field.
 *
 * @param title        the heading, or null
 * @param description  the body text, or null
 * @param color        the accent colour as {@code 0xRRGGBB}, or null
 * @param url          where the title links to, or null
 * @param imageUrl     a large image, or null
 * @param thumbnailUrl a small image, or null
 * @param author       the author line, or null
 * @param footer       the footer line, or null
 * @param fields       name/value pairs; null means none
 * @param timestamp    a time shown with the embed, or null
 */
public record Embed(
        String title,
        String description,
        Integer color,
        URI url,
        URI imageUrl,
        URI thumbnailUrl,
        String author,
        String footer,
        List<EmbedField> fields,
        Instant timestamp) {

    /**
     * Validates the embed and copies its fields.
     *
     * @throws IllegalArgumentException when the embed would show nothing or the colour is out of
     *                                  range
     */
    public Embed {
        fields = Values.list(fields, "fields");
        if (Values.isBlank(title) && Values.isBlank(description) && imageUrl == null && fields.isEmpty()) {
            throw new IllegalArgumentException("an embed needs a title, a description, an image or a field");
        }
        if (color != null && (color < 0 || color > 0xFFFFFF)) {
            throw new IllegalArgumentException("embed color must be 0xRRGGBB: " + color);
        }
    }
}
