package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.InboundAttachment;
import dev.gatekit.plugin.api.InboundSink;
import dev.gatekit.plugin.api.MessageReceived;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.events.interaction.GenericInteractionCreateEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.message.MessageUpdateEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.callbacks.IAutoCompleteCallback;
import net.dv8tion.jda.api.interactions.callbacks.IMessageEditCallback;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.slf4j.Logger;

/**
 * What arrives over the gateway, into the host's inbound sink: messages in channels the bot can
 * read and in its DMs, their edits, and interactions (when the application has no interactions
 * endpoint URL, Discord sends them here), each acknowledged as {@link DiscordInteractions} says.
 *
 * <p>Event ids are Discord's own ids ({@code message:<id>}, {@code message_edit:<id>:<edited at>},
 * {@code interaction:<id>}), so when several GateKit instances each hold a session of one bot, the
 * host stores each event once.
 */
final class DiscordGatewayEvents extends ListenerAdapter {

    private final DiscordSettings settings;
    private final InboundSink sink;
    private final Logger log;

    DiscordGatewayEvents(DiscordSettings settings, InboundSink sink, Logger log) {
        this.settings = settings;
        this.sink = sink;
        this.log = log;
    }

    @Override
    public void onMessageReceived(MessageReceivedEvent event) {
        Message message = event.getMessage();
        if (ignored(message, event.isFromGuild() ? event.getGuild() : null)) {
            return;
        }
        sink.publish(received(message, "message:" + message.getId(), message.getTimeCreated().toInstant(), raw(event.getRawData()), false));
    }

    @Override
    public void onMessageUpdate(MessageUpdateEvent event) {
        Message message = event.getMessage();
        // An update without an edit time is Discord adding link previews, not the author editing.
        if (message.getTimeEdited() == null || ignored(message, event.isFromGuild() ? event.getGuild() : null)) {
            return;
        }
        Instant edited = message.getTimeEdited().toInstant();
        sink.publish(received(message, "message_edit:" + message.getId() + ":" + edited.toEpochMilli(), edited, raw(event.getRawData()),
                true));
    }

    @Override
    public void onGenericInteractionCreate(GenericInteractionCreateEvent event) {
        if (settings.guildId() != null && event.getGuild() != null && !settings.guildId().equals(event.getGuild().getId())) {
            return;
        }
        DataObject payload = event.getRawData();
        DiscordInteractions.Read read;
        try {
            read = DiscordInteractions.read(payload == null ? DataObject.empty() : payload.getObject("d"),
                    raw(payload), settings.commandReply());
        } catch (DiscordInteractions.MalformedInteractionException | RuntimeException e) {
            log.warn("Ignoring a Discord interaction of configuration {} that cannot be read: {}", settings.configurationId(), e.getMessage());
            return;
        }
        read.inbound().ifPresent(sink::publish);
        acknowledge(event, read.type());
    }

    /** Answers within Discord's three seconds; another GateKit instance may have answered first, which is fine. */
    private void acknowledge(GenericInteractionCreateEvent event, int type) {
        java.util.function.Consumer<Throwable> answeredElsewhere = failure -> log.debug(
                "Discord interaction {} not acknowledged here: {}", event.getId(), failure.getMessage());
        if ((type == DiscordInteractions.MESSAGE_COMPONENT || type == DiscordInteractions.MODAL_SUBMIT)
                && event instanceof IMessageEditCallback edit) {
            edit.deferEdit().queue(null, answeredElsewhere);
        } else if (type == DiscordInteractions.APPLICATION_COMMAND && event instanceof IReplyCallback reply) {
            reply.reply(settings.commandReply()).setEphemeral(true).setAllowedMentions(List.of()).queue(null, answeredElsewhere);
        } else if (type == DiscordInteractions.AUTOCOMPLETE && event instanceof IAutoCompleteCallback autocomplete) {
            autocomplete.replyChoices(List.of()).queue(null, answeredElsewhere);
        }
    }

    /** Bots (this one included), webhooks, system messages and other guilds than the configured one are not received. */
    private boolean ignored(Message message, Guild guild) {
        if (message.getAuthor().isBot() || message.isWebhookMessage() || message.getType().isSystem()) {
            return true;
        }
        return settings.guildId() != null && guild != null && !settings.guildId().equals(guild.getId());
    }

    /** The message as an event; an edit names the message it edits (Discord keeps the id across edits). */
    static MessageReceived received(Message message, String eventId, Instant at, String raw, boolean edit) {
        String chatId = message.getChannelId();
        String threadId = null;
        if (message.getChannelType().isThread()) {
            threadId = message.getChannelId();
            chatId = message.getChannel().asThreadChannel().getParentChannel().getId();
        }
        String sender = message.getMember() != null ? message.getMember().getEffectiveName() : message.getAuthor().getEffectiveName();
        List<InboundAttachment> attachments = message.getAttachments().stream()
                .map(file -> new InboundAttachment(file.getId(), URI.create(file.getUrl()), file.getFileName(),
                        file.getContentType(), (long) file.getSize()))
                .toList();
        String replyTo = message.getMessageReference() == null ? null : message.getMessageReference().getMessageId();
        String text = message.getContentRaw().isEmpty() ? null : message.getContentRaw();
        return new MessageReceived(eventId, chatId, message.getAuthor().getId(), sender, text, attachments, threadId, replyTo,
                message.getId(), at, raw, edit ? message.getId() : null);
    }

    private static String raw(DataObject payload) {
        return payload == null ? null : payload.toString();
    }
}
