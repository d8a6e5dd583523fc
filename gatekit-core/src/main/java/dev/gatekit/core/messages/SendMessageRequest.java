package dev.gatekit.core.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST …/messages/send} in any of the three shapes the original GateKit accepted:
 * <ul>
 *   <li>its code's: {@code {"targets":[{"platformId","type","id"}],"content":{…},"options":{…},"metadata":{…}}}</li>
 *   <li>its README's: {@code {"platform","target":{"type","id"},"content":{"text",…}}}</li>
 *   <li>its README's flat form: {@code {"platform","target","text","attachments","threadId"}}</li>
 * </ul>
 * {@link SendRequestNormalizer} turns each into one canonical {@link MessageBody}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SendMessageRequest(
        List<TargetRequest> targets,
        String platform,
        TargetRequest target,
        ContentRequest content,
        String text,
        String markdown,
        String html,
        List<AttachmentRequest> attachments,
        List<ButtonRequest> buttons,
        List<EmbedRequest> embeds,
        String threadId,
        String replyTo,
        OptionsRequest options,
        MetadataRequest metadata) {

    /** A target: {@code platformId} names a platform configuration by id or, when unambiguous, by platform name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetRequest(String platformId, String platform, String type, String id) {
    }

    /** {@code markdown} and {@code html} are the original's later forms of {@code text} with a format. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentRequest(String text, String markdown, String html, String format,
                                 List<AttachmentRequest> attachments, List<ButtonRequest> buttons, List<EmbedRequest> embeds) {
    }

    /** By URL or inline base64 {@code data}; {@code name}/{@code mime} are the original's first names for filename/mimeType. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttachmentRequest(String url, String data, String filename, String name, String mimeType, String mime,
                                    String caption) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ButtonRequest(String text, String value, String url, String style) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EmbedRequest(String title, String description, Integer color, String url, String imageUrl,
                               String thumbnailUrl, String author, String footer, List<EmbedFieldRequest> fields,
                               Instant timestamp) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EmbedFieldRequest(String name, String value, Boolean inline) {
    }

    /** {@code scheduled} really delays delivery until then. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OptionsRequest(String replyTo, Boolean silent, Instant scheduled, String threadId) {
    }

    /** {@code priority} orders the queue: high before normal before low. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MetadataRequest(String trackingId, List<String> tags, String priority) {
    }
}
