package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.Embed;
import dev.gatekit.plugin.api.EmbedField;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.TextFormat;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.Message.MentionType;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;

/**
 * Plans the Discord messages one {@link OutboundMessage} becomes: the text in parts of at most 2,000
 * characters, then embeds and files (ten of each per message) riding on the last text part, buttons
 * under the last message. Nothing here calls Discord.
 */
final class DiscordMessages {

    /**
     * The metadata key with which a request allows mentions: a comma-separated list of {@code users},
     * {@code roles}, {@code everyone}. Without it no mention pings anyone.
     */
    static final String ALLOWED_MENTIONS = "discord.allowedMentions";

    /** Discord's limits on buttons: five to an action row, five rows, a custom id of 100 characters, a label of 80. */
    static final int BUTTONS_PER_ROW = 5;
    static final int MAX_ROWS = 5;
    static final int MAX_CUSTOM_ID = 100;
    static final int MAX_LABEL = 80;

    private DiscordMessages() {
    }

    /** One message to create, and whether it is the first (it carries the reply reference). */
    record Planned(MessageCreateData data, boolean first) {
    }

    /**
     * Plans the messages.
     *
     * @param message the message to send
     * @param files   its attachments, ready to upload, in order
     * @return the messages, in the order to send them
     * @throws PermanentDeliveryException when Discord could never take the content (a button value too
     *                                    long for a custom id, more buttons than a message holds)
     */
    static List<Planned> plan(OutboundMessage message, List<FileUpload> files) throws PermanentDeliveryException {
        MessageContent content = message.content();
        Set<MentionType> allowed = allowedMentions(message);
        List<ActionRow> rows = rows(content.buttons());
        List<MessageEmbed> embeds = new ArrayList<>();
        for (Embed embed : content.embeds()) {
            embeds.add(embed(embed));
        }

        List<Part> parts = new ArrayList<>();
        if (content.text() != null && !content.text().isBlank()) {
            String text = content.format() == TextFormat.PLAIN ? DiscordText.escapeMarkdown(content.text()) : content.text();
            for (String piece : DiscordText.split(DiscordText.neutralizeMentions(text, allowed), DiscordText.MESSAGE_LIMIT)) {
                parts.add(new Part(piece));
            }
        }
        spread(parts, embeds, Message.MAX_EMBED_COUNT, (part, batch) -> part.embeds.addAll(batch), part -> part.embeds.isEmpty());
        spread(parts, files, Message.MAX_FILE_AMOUNT, (part, batch) -> part.files.addAll(batch), part -> part.files.isEmpty());

        List<Planned> planned = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            MessageCreateBuilder builder = new MessageCreateBuilder()
                    .setAllowedMentions(allowed)
                    .setSuppressedNotifications(message.options().silent());
            if (part.text != null) {
                builder.setContent(part.text);
            }
            builder.setEmbeds(part.embeds).setFiles(part.files);
            if (i == parts.size() - 1 && !rows.isEmpty()) {
                builder.setComponents(rows);
            }
            planned.add(new Planned(builder.build(), i == 0));
        }
        return planned;
    }

    /** The mention types the request allows in {@link #ALLOWED_MENTIONS}; none by default. */
    static Set<MentionType> allowedMentions(OutboundMessage message) {
        Set<MentionType> allowed = EnumSet.noneOf(MentionType.class);
        String value = message.metadata().get(ALLOWED_MENTIONS);
        if (value == null) {
            return allowed;
        }
        for (String name : value.split("[,\\s]+")) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "users", "user" -> allowed.add(MentionType.USER);
                case "roles", "role" -> allowed.add(MentionType.ROLE);
                case "everyone", "here" -> {
                    allowed.add(MentionType.EVERYONE);
                    allowed.add(MentionType.HERE);
                }
                default -> {
                }
            }
        }
        return allowed;
    }

    /** Buttons in action rows of five: action buttons carry their value as the custom id Discord sends back. */
    static List<ActionRow> rows(List<Button> buttons) throws PermanentDeliveryException {
        if (buttons.size() > BUTTONS_PER_ROW * MAX_ROWS) {
            throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED,
                    "a Discord message holds at most " + BUTTONS_PER_ROW * MAX_ROWS + " buttons, got " + buttons.size());
        }
        List<ActionRow> rows = new ArrayList<>();
        List<net.dv8tion.jda.api.components.buttons.Button> row = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Button button : buttons) {
            String label = button.text().length() > MAX_LABEL ? button.text().substring(0, MAX_LABEL - 1) + "…" : button.text();
            if (button.url() != null) {
                row.add(net.dv8tion.jda.api.components.buttons.Button.link(button.url().toString(), label));
            } else {
                if (button.value().isEmpty() || button.value().length() > MAX_CUSTOM_ID) {
                    throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED,
                            "a Discord button value (custom id) is 1 to " + MAX_CUSTOM_ID + " characters: " + button.text());
                }
                if (!ids.add(button.value())) {
                    throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED,
                            "two buttons of one Discord message share the value '" + button.value() + "'");
                }
                row.add(switch (button.style()) {
                    case SECONDARY -> net.dv8tion.jda.api.components.buttons.Button.secondary(button.value(), label);
                    case SUCCESS -> net.dv8tion.jda.api.components.buttons.Button.success(button.value(), label);
                    case DANGER -> net.dv8tion.jda.api.components.buttons.Button.danger(button.value(), label);
                    default -> net.dv8tion.jda.api.components.buttons.Button.primary(button.value(), label);
                });
            }
            if (row.size() == BUTTONS_PER_ROW) {
                rows.add(ActionRow.of(row));
                row = new ArrayList<>();
            }
        }
        if (!row.isEmpty()) {
            rows.add(ActionRow.of(row));
        }
        return rows;
    }

    static MessageEmbed embed(Embed embed) {
        EmbedBuilder builder = new EmbedBuilder()
                .setTitle(embed.title(), embed.url() == null ? null : embed.url().toString())
                .setDescription(embed.description())
                .setAuthor(embed.author())
                .setFooter(embed.footer())
                .setImage(embed.imageUrl() == null ? null : embed.imageUrl().toString())
                .setThumbnail(embed.thumbnailUrl() == null ? null : embed.thumbnailUrl().toString())
                .setTimestamp(embed.timestamp());
        if (embed.color() != null) {
            builder.setColor(embed.color());
        }
        for (EmbedField field : embed.fields()) {
            builder.addField(field.name(), field.value(), field.inline());
        }
        return builder.build();
    }

    /** Puts items in batches: the first onto the last part that has room, the rest into parts of their own. */
    private static <T> void spread(List<Part> parts, List<T> items, int perMessage,
                                   java.util.function.BiConsumer<Part, List<T>> add,
                                   java.util.function.Predicate<Part> hasRoom) {
        for (int from = 0; from < items.size(); from += perMessage) {
            List<T> batch = items.subList(from, Math.min(items.size(), from + perMessage));
            Part last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
            if (last == null || !hasRoom.test(last)) {
                last = new Part(null);
                parts.add(last);
            }
            add.accept(last, batch);
        }
    }

    private static final class Part {
        final String text;
        final List<MessageEmbed> embeds = new ArrayList<>();
        final List<FileUpload> files = new ArrayList<>();

        Part(String text) {
            this.text = text;
        }
    }
}
