package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InteractionReceived;
import java.time.Instant;
import java.util.Optional;
import net.dv8tion.jda.api.utils.TimeUtil;
import net.dv8tion.jda.api.utils.data.DataArray;
import net.dv8tion.jda.api.utils.data.DataObject;

/**
 * Reads one Discord interaction (the JSON Discord posts to the interactions endpoint, or the {@code d}
 * of an {@code INTERACTION_CREATE} gateway dispatch) into GateKit's event and the answer Discord
 * expects within its three-second deadline.
 *
 * <p>A ping is answered with a pong. A slash command (or a context menu command) is stored as a
 * {@link InteractionReceived.Kind#COMMAND} and answered with an ephemeral message, the configuration's
 * {@code commandReply}. A button press is stored as a {@link InteractionReceived.Kind#BUTTON} with its
 * custom id as the value, and answered "deferred update" (the message stays as it is). Select menus,
 * modal submissions and autocomplete are acknowledged and not stored.
 */
final class DiscordInteractions {

    static final int PING = 1;
    static final int APPLICATION_COMMAND = 2;
    static final int MESSAGE_COMPONENT = 3;
    static final int AUTOCOMPLETE = 4;
    static final int MODAL_SUBMIT = 5;

    static final int PONG = 1;
    static final int CHANNEL_MESSAGE_WITH_SOURCE = 4;
    static final int DEFERRED_UPDATE_MESSAGE = 6;
    static final int AUTOCOMPLETE_RESULT = 8;
    static final int BUTTON = 2;
    static final int EPHEMERAL = 1 << 6;

    private static final int SUB_COMMAND = 1;
    private static final int SUB_COMMAND_GROUP = 2;

    private DiscordInteractions() {
    }

    /**
     * What one interaction means.
     *
     * @param type     the interaction type
     * @param event    the event to store, or null for one that is only acknowledged
     * @param response the interaction response to give Discord
     */
    record Read(int type, InboundEvent event, DataObject response) {
        Optional<InboundEvent> inbound() {
            return Optional.ofNullable(event);
        }
    }

    /** Thrown for JSON that is not an interaction Discord could have sent. */
    static final class MalformedInteractionException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedInteractionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads an interaction.
     *
     * @param interaction  the interaction object
     * @param rawPayload   what to store as the event's raw payload
     * @param commandReply the text a command is acknowledged with
     * @return what it means
     * @throws MalformedInteractionException when it lacks what every interaction has
     */
    static Read read(DataObject interaction, String rawPayload, String commandReply) throws MalformedInteractionException {
        try {
            int type = interaction.getInt("type");
            return switch (type) {
                case PING -> new Read(type, null, DataObject.empty().put("type", PONG));
                case APPLICATION_COMMAND -> new Read(type, event(interaction, InteractionReceived.Kind.COMMAND,
                        commandLine(interaction.getObject("data")), rawPayload),
                        DataObject.empty().put("type", CHANNEL_MESSAGE_WITH_SOURCE).put("data",
                                DataObject.empty().put("content", commandReply).put("flags", EPHEMERAL)
                                        .put("allowed_mentions", DataObject.empty().put("parse", DataArray.empty()))));
                case MESSAGE_COMPONENT -> {
                    DataObject data = interaction.getObject("data");
                    InboundEvent event = data.getInt("component_type", 0) == BUTTON
                            ? event(interaction, InteractionReceived.Kind.BUTTON, data.getString("custom_id"), rawPayload)
                            : null;
                    yield new Read(type, event, DataObject.empty().put("type", DEFERRED_UPDATE_MESSAGE));
                }
                case AUTOCOMPLETE -> new Read(type, null, DataObject.empty().put("type", AUTOCOMPLETE_RESULT)
                        .put("data", DataObject.empty().put("choices", DataArray.empty())));
                case MODAL_SUBMIT -> new Read(type, null, DataObject.empty().put("type", DEFERRED_UPDATE_MESSAGE));
                default -> throw new MalformedInteractionException("unknown interaction type " + type, null);
            };
        } catch (RuntimeException e) {
            throw new MalformedInteractionException("not a Discord interaction: " + e.getMessage(), e);
        }
    }

    private static InteractionReceived event(DataObject interaction, InteractionReceived.Kind kind, String value, String raw) {
        String id = interaction.getString("id");
        // In a guild the user comes inside the member; in a DM on its own.
        DataObject user = interaction.optObject("member").flatMap(member -> member.optObject("user"))
                .orElseGet(() -> interaction.getObject("user"));
        String name = interaction.optObject("member").map(member -> member.getString("nick", null)).orElse(null);
        if (name == null) {
            name = user.getString("global_name", null);
        }
        if (name == null) {
            name = user.getString("username", null);
        }
        String channelId = interaction.getString("channel_id", null);
        if (channelId == null) {
            channelId = interaction.optObject("channel").map(channel -> channel.getString("id", null)).orElse(null);
        }
        String messageId = interaction.optObject("message").map(message -> message.getString("id", null)).orElse(null);
        Instant at = TimeUtil.getTimeCreated(Long.parseUnsignedLong(id)).toInstant();
        return new InteractionReceived(eventId(id), kind, value, user.getString("id"), name, channelId, messageId, at, raw);
    }

    /** The event id of an interaction, the same whether it came over the gateway or to the endpoint. */
    static String eventId(String interactionId) {
        return "interaction:" + interactionId;
    }

    /** {@code /name [group] [subcommand] option:value ...}, as a user would type it. */
    static String commandLine(DataObject data) {
        StringBuilder line = new StringBuilder("/").append(data.getString("name"));
        appendOptions(line, data.optArray("options").orElse(DataArray.empty()));
        return line.toString();
    }

    private static void appendOptions(StringBuilder line, DataArray options) {
        for (int i = 0; i < options.length(); i++) {
            DataObject option = options.getObject(i);
            int type = option.getInt("type", 0);
            if (type == SUB_COMMAND || type == SUB_COMMAND_GROUP) {
                line.append(' ').append(option.getString("name"));
                appendOptions(line, option.optArray("options").orElse(DataArray.empty()));
            } else {
                line.append(' ').append(option.getString("name")).append(':').append(option.opt("value").map(String::valueOf).orElse(""));
            }
        }
    }
}
