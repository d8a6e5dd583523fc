package dev.gatekit.plugin.slack;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.ButtonStyle;
import dev.gatekit.plugin.api.Embed;
import dev.gatekit.plugin.api.EmbedField;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.TextFormat;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns GateKit content into the {@code chat.postMessage} calls that carry it: long text split
 * into ordered messages, and buttons, attachments and embeds as Block Kit blocks on the last one.
 */
final class SlackMessages {

    /** Slack shows up to 4000 characters of a message's text well (and truncates at 40 000). */
    static final int MESSAGE_LIMIT = 4000;
    /** A section block's text holds at most 3000 characters. */
    static final int SECTION_LIMIT = 3000;
    /** A message holds at most 50 blocks. */
    static final int BLOCKS_PER_MESSAGE = 50;
    /** An actions block holds at most 25 elements. */
    static final int BUTTONS_PER_BLOCK = 25;
    static final int BUTTON_TEXT_LIMIT = 75;
    static final int BUTTON_VALUE_LIMIT = 2000;
    static final int BUTTON_URL_LIMIT = 3000;
    static final int FIELD_LIMIT = 2000;
    static final int FIELDS_PER_SECTION = 10;
    /** The prefix of every button's action_id; inbound interactions are matched on it. */
    static final String ACTION_ID_PREFIX = "gatekit_button_";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /**
     * One {@code chat.postMessage}.
     *
     * @param text    the message text (the notification fallback when there are blocks); mrkdwn or escaped plain text
     * @param mrkdwn  whether Slack formats {@code text}
     * @param blocks  the blocks as JSON, or null
     */
    record Post(String text, boolean mrkdwn, String blocks) {
    }

    private SlackMessages() {
    }

    static List<Post> plan(MessageContent content) throws PermanentDeliveryException {
        boolean markdown = content.format() == TextFormat.MARKDOWN;
        boolean needsBlocks = !content.buttons().isEmpty() || !content.attachments().isEmpty() || !content.embeds().isEmpty();
        String source = content.text() == null ? "" : content.text();
        List<String> parts = markdown
                ? Mrkdwn.split(Mrkdwn.fromMarkdown(source), needsBlocks ? SECTION_LIMIT : MESSAGE_LIMIT)
                : Mrkdwn.split(source, needsBlocks ? SECTION_LIMIT : MESSAGE_LIMIT);
        List<Post> posts = new ArrayList<>();
        int plainParts = needsBlocks && !parts.isEmpty() ? parts.size() - 1 : parts.size();
        for (int i = 0; i < plainParts; i++) {
            posts.add(new Post(markdown ? parts.get(i) : Mrkdwn.escape(parts.get(i)), markdown, null));
        }
        if (!needsBlocks) {
            return posts;
        }
        List<JsonObject> blocks = new ArrayList<>();
        String lastText = parts.isEmpty() ? null : parts.get(parts.size() - 1);
        if (lastText != null) {
            blocks.add(markdown ? section(mrkdwn(lastText)) : section(plainText(lastText)));
        }
        for (Attachment attachment : content.attachments()) {
            blocks.add(attachmentBlock(attachment));
        }
        for (Embed embed : content.embeds()) {
            blocks.addAll(embedBlocks(embed));
        }
        blocks.addAll(actionBlocks(content.buttons()));
        String fallback = lastText != null ? (markdown ? lastText : Mrkdwn.escape(lastText)) : fallbackText(content);
        for (int from = 0; from < blocks.size(); from += BLOCKS_PER_MESSAGE) {
            JsonArray array = new JsonArray();
            blocks.subList(from, Math.min(blocks.size(), from + BLOCKS_PER_MESSAGE)).forEach(array::add);
            posts.add(new Post(fallback, markdown, GSON.toJson(array)));
        }
        return posts;
    }

    private static String fallbackText(MessageContent content) {
        for (Embed embed : content.embeds()) {
            if (embed.title() != null && !embed.title().isBlank()) {
                return Mrkdwn.escape(embed.title());
            }
        }
        for (Attachment attachment : content.attachments()) {
            if (attachment.filename() != null && !attachment.filename().isBlank()) {
                return Mrkdwn.escape(attachment.filename());
            }
        }
        return content.attachments().isEmpty() ? "message" : "attachment";
    }

    static JsonObject plainText(String text) {
        JsonObject object = new JsonObject();
        object.addProperty("type", "plain_text");
        object.addProperty("text", text);
        object.addProperty("emoji", true);
        return object;
    }

    static JsonObject mrkdwn(String text) {
        JsonObject object = new JsonObject();
        object.addProperty("type", "mrkdwn");
        object.addProperty("text", text);
        return object;
    }

    private static JsonObject section(JsonObject text) {
        JsonObject block = new JsonObject();
        block.addProperty("type", "section");
        block.add("text", text);
        return block;
    }

    private static JsonObject image(URI url, String altText, String title) {
        JsonObject block = new JsonObject();
        block.addProperty("type", "image");
        block.addProperty("image_url", url.toString());
        block.addProperty("alt_text", truncate(altText == null || altText.isBlank() ? "image" : altText, 2000));
        if (title != null && !title.isBlank()) {
            block.add("title", plainText(truncate(title, 2000)));
        }
        return block;
    }

    private static JsonObject attachmentBlock(Attachment attachment) {
        String name = attachment.filename() == null || attachment.filename().isBlank()
                ? attachment.url().toString() : attachment.filename();
        if (isImage(attachment)) {
            return image(attachment.url(), name, attachment.caption());
        }
        String text = "\uD83D\uDCCE " + Mrkdwn.link(attachment.url().toString(), name);
        if (attachment.caption() != null && !attachment.caption().isBlank()) {
            text += "\n" + Mrkdwn.escape(attachment.caption());
        }
        return section(mrkdwn(truncate(text, SECTION_LIMIT)));
    }

    /** Image blocks show PNG, JPEG and GIF; anything else becomes a link. */
    static boolean isImage(Attachment attachment) {
        String mime = attachment.mimeType() == null ? "" : attachment.mimeType().toLowerCase(Locale.ROOT);
        if (!mime.isEmpty()) {
            return mime.equals("image/png") || mime.equals("image/jpeg") || mime.equals("image/jpg") || mime.equals("image/gif");
        }
        String path = attachment.filename() != null ? attachment.filename() : attachment.url().getPath();
        String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".gif");
    }

    /** Title and description in a section (thumbnail as its accessory), fields, the image, then author and footer as context. */
    private static List<JsonObject> embedBlocks(Embed embed) {
        List<JsonObject> blocks = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        if (embed.title() != null && !embed.title().isBlank()) {
            head.append('*').append(embed.url() != null ? Mrkdwn.link(embed.url().toString(), embed.title())
                    : Mrkdwn.escape(embed.title())).append('*');
        }
        if (embed.description() != null && !embed.description().isBlank()) {
            if (!head.isEmpty()) {
                head.append('\n');
            }
            head.append(Mrkdwn.fromMarkdown(embed.description()));
        }
        if (!head.isEmpty()) {
            JsonObject section = section(mrkdwn(truncate(head.toString(), SECTION_LIMIT)));
            if (embed.thumbnailUrl() != null) {
                JsonObject thumbnail = new JsonObject();
                thumbnail.addProperty("type", "image");
                thumbnail.addProperty("image_url", embed.thumbnailUrl().toString());
                thumbnail.addProperty("alt_text", "thumbnail");
                section.add("accessory", thumbnail);
            }
            blocks.add(section);
        }
        List<EmbedField> fields = embed.fields();
        for (int from = 0; from < fields.size(); from += FIELDS_PER_SECTION) {
            JsonArray array = new JsonArray();
            for (EmbedField field : fields.subList(from, Math.min(fields.size(), from + FIELDS_PER_SECTION))) {
                array.add(mrkdwn(truncate("*" + Mrkdwn.escape(field.name()) + "*\n" + Mrkdwn.escape(field.value()), FIELD_LIMIT)));
            }
            JsonObject section = new JsonObject();
            section.addProperty("type", "section");
            section.add("fields", array);
            blocks.add(section);
        }
        if (embed.imageUrl() != null) {
            blocks.add(image(embed.imageUrl(), embed.title(), null));
        }
        JsonArray context = new JsonArray();
        if (embed.author() != null && !embed.author().isBlank()) {
            context.add(mrkdwn(truncate(Mrkdwn.escape(embed.author()), FIELD_LIMIT)));
        }
        if (embed.footer() != null && !embed.footer().isBlank()) {
            context.add(mrkdwn(truncate(Mrkdwn.escape(embed.footer()), FIELD_LIMIT)));
        }
        if (embed.timestamp() != null) {
            // Slack renders the date in each reader's time zone; the text after '|' is the fallback.
            context.add(mrkdwn("<!date^" + embed.timestamp().getEpochSecond() + "^{date_short_pretty} {time}|"
                    + embed.timestamp() + ">"));
        }
        if (!context.isEmpty()) {
            JsonObject block = new JsonObject();
            block.addProperty("type", "context");
            block.add("elements", context);
            blocks.add(block);
        }
        return blocks;
    }

    private static List<JsonObject> actionBlocks(List<Button> buttons) throws PermanentDeliveryException {
        List<JsonObject> blocks = new ArrayList<>();
        for (int from = 0; from < buttons.size(); from += BUTTONS_PER_BLOCK) {
            JsonArray elements = new JsonArray();
            for (int i = from; i < Math.min(buttons.size(), from + BUTTONS_PER_BLOCK); i++) {
                elements.add(button(buttons.get(i), i));
            }
            JsonObject block = new JsonObject();
            block.addProperty("type", "actions");
            block.addProperty("block_id", "gatekit_actions_" + (from / BUTTONS_PER_BLOCK));
            block.add("elements", elements);
            blocks.add(block);
        }
        return blocks;
    }

    private static JsonObject button(Button button, int index) throws PermanentDeliveryException {
        JsonObject element = new JsonObject();
        element.addProperty("type", "button");
        element.addProperty("action_id", ACTION_ID_PREFIX + index);
        element.add("text", plainText(truncate(button.text(), BUTTON_TEXT_LIMIT)));
        if (button.url() != null) {
            String url = button.url().toString();
            if (url.length() > BUTTON_URL_LIMIT) {
                throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED,
                        "button '" + button.text() + "': Slack takes URLs of at most " + BUTTON_URL_LIMIT + " characters");
            }
            element.addProperty("url", url);
        } else {
            if (button.value().length() > BUTTON_VALUE_LIMIT) {
                throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED,
                        "button '" + button.text() + "': Slack takes values of at most " + BUTTON_VALUE_LIMIT + " characters");
            }
            element.addProperty("value", button.value());
        }
        if (button.style() == ButtonStyle.PRIMARY || button.style() == ButtonStyle.SUCCESS) {
            element.addProperty("style", "primary");
        } else if (button.style() == ButtonStyle.DANGER) {
            element.addProperty("style", "danger");
        }
        return element;
    }

    private static String truncate(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        int cut = limit - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "\u2026";
    }
}
