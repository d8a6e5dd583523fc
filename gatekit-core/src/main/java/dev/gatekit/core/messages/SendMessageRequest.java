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
        TemplateRequest template,
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
                                 List<AttachmentRequest> attachments, List<ButtonRequest> buttons, List<EmbedRequest> embeds,
                                 TemplateRequest template) {
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

    /**
     * A template the platform approved in advance (WhatsApp), sent instead of text: its name, language and the values of its
     * placeholders. A template message carries nothing else.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TemplateRequest(String name, String language, List<TemplateParameterRequest> header,
                                  List<TemplateParameterRequest> body, List<TemplateButtonRequest> buttons) {
    }

    /** {@code type} is text (the default), image, video or document; text in {@code text}, media by {@code url}; {@code name} for named placeholders. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TemplateParameterRequest(String type, String text, String url, String name) {
    }

    /** The value of the template's button at {@code index}: a quick_reply's payload, or the suffix of a url button's link. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TemplateButtonRequest(Integer index, String type, String value) {
    }

    /** {@code scheduled} really delays delivery until then; {@code linkPreview} asks for (true) or suppresses (false) a link preview. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OptionsRequest(String replyTo, Boolean silent, Instant scheduled, String threadId, Boolean linkPreview) {
    }

    /** {@code priority} orders the queue: high before normal before low. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MetadataRequest(String trackingId, List<String> tags, String priority) {
    }
}
