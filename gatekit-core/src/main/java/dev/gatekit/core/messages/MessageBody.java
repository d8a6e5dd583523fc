package dev.gatekit.core.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekit.core.messages.SendMessageRequest.ButtonRequest;
import dev.gatekit.core.messages.SendMessageRequest.EmbedRequest;
import dev.gatekit.core.messages.SendMessageRequest.TemplateRequest;
import java.time.Instant;
import java.util.List;

/**
 * The canonical message, whatever shape it arrived in: what is stored in {@code messages.body}
 * and handed to each target's plugin.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MessageBody(List<Target> targets, Content content, Options options, Metadata metadata) {

    public MessageBody {
        targets = targets == null ? List.of() : List.copyOf(targets);
        options = options == null ? new Options(null, null, false, null, null) : options;
        metadata = metadata == null ? new Metadata(null, List.of(), Priority.NORMAL) : metadata;
    }

    /** {@code platformId} is the configuration's id, resolved at send time. */
    public record Target(String platformId, String platform, String type, String id) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Content(String text, String format, List<Attachment> attachments, List<ButtonRequest> buttons,
                          List<EmbedRequest> embeds, TemplateRequest template) {
        public Content {
            format = format == null ? "plain" : format;
            attachments = attachments == null ? List.of() : attachments;
            buttons = buttons == null ? List.of() : buttons;
            embeds = embeds == null ? List.of() : embeds;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Attachment(String url, String data, String filename, String mimeType, String caption) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Options(String replyTo, String threadId, boolean silent, Instant scheduled, Boolean linkPreview) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Metadata(String trackingId, List<String> tags, Priority priority) {
        public Metadata {
            tags = tags == null ? List.of() : tags;
            priority = priority == null ? Priority.NORMAL : priority;
        }
    }
}
