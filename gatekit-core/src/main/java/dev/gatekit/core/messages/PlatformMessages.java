package dev.gatekit.core.messages;

import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.ButtonStyle;
import dev.gatekit.plugin.api.Capability;
import dev.gatekit.plugin.api.Embed;
import dev.gatekit.plugin.api.EmbedField;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.MessageTemplate;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.SendOptions;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.TargetFormat;
import dev.gatekit.plugin.api.TargetType;
import dev.gatekit.plugin.api.TemplateButtonParameter;
import dev.gatekit.plugin.api.TemplateParameter;
import dev.gatekit.plugin.api.TextFormat;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Between the canonical {@link MessageBody} and a platform: what a platform cannot carry, and the
 * plugin API's {@link OutboundMessage} for one target.
 */
public final class PlatformMessages {

    private PlatformMessages() {
    }

    /** Every part of the message this platform declares it cannot carry, named as the client sent it. */
    public static List<ErrorDetail> unsupported(MessageBody body, MessageBody.Target target, String field, PlatformDescriptor platform) {
        List<ErrorDetail> problems = new ArrayList<>();
        String name = platform.displayName();
        TargetType type = TargetType.valueOf(target.type().toUpperCase(Locale.ROOT));
        if (!platform.targetTypes().contains(type)) {
            problems.add(new ErrorDetail(field + ".type", name + " cannot send to a " + target.type()));
        }
        TargetFormat format = platform.targetFormats().get(type);
        if (format != null && !format.matches(target.id())) {
            problems.add(new ErrorDetail(field + ".id", name + " expects " + format.description() + ", not '" + target.id() + "'"));
        }
        MessageBody.Content content = body.content();
        if (content.text() != null && content.text().length() > platform.maxTextLength()) {
            problems.add(new ErrorDetail("content.text", name + " carries at most " + platform.maxTextLength() + " characters"));
        }
        if (!content.attachments().isEmpty() && !platform.supports(Capability.ATTACHMENTS)) {
            problems.add(new ErrorDetail("content.attachments", name + " does not support attachments"));
        }
        if (content.attachments().stream().anyMatch(a -> a.data() != null) && !platform.supports(Capability.INLINE_ATTACHMENTS)) {
            problems.add(new ErrorDetail("content.attachments", name + " does not support uploaded (inline) attachments; send a url"));
        }
        if (!content.buttons().isEmpty() && !platform.supports(Capability.BUTTONS)
                && !(platform.supports(Capability.LINK_BUTTONS) && content.buttons().stream().allMatch(b -> b.url() != null))) {
            problems.add(new ErrorDetail("content.buttons", name + " does not support buttons"));
        }
        if (!content.embeds().isEmpty() && !platform.supports(Capability.EMBEDS)) {
            problems.add(new ErrorDetail("content.embeds", name + " does not support embeds"));
        }
        if (content.template() != null && !platform.supports(Capability.TEMPLATES)) {
            problems.add(new ErrorDetail("content.template", name + " does not support template messages"));
        }
        if ("markdown".equals(content.format()) && !platform.supports(Capability.MARKDOWN)) {
            problems.add(new ErrorDetail("content.markdown", name + " does not support markdown"));
        }
        if ("html".equals(content.format()) && !platform.supports(Capability.HTML)) {
            problems.add(new ErrorDetail("content.html", name + " does not support html"));
        }
        MessageBody.Options options = body.options();
        if (options.threadId() != null && !platform.supports(Capability.THREADS)) {
            problems.add(new ErrorDetail("options.threadId", name + " does not support threads"));
        }
        if (options.replyTo() != null && !platform.supports(Capability.REPLIES)) {
            problems.add(new ErrorDetail("options.replyTo", name + " does not support replies"));
        }
        if (options.silent() && !platform.supports(Capability.SILENT)) {
            problems.add(new ErrorDetail("options.silent", name + " does not support silent sends"));
        }
        return problems;
    }

    /**
     * The plugin's view of one target of the message. {@code deliveryId} is the target's id, the
     * same on every retry, so a receiver can drop a repeat of an at-least-once delivery.
     */
    public static OutboundMessage toOutbound(String deliveryId, MessageBody body, MessageBody.Target target) {
        MessageBody.Content c = body.content();
        MessageContent content = new MessageContent(c.text(), TextFormat.valueOf(c.format().toUpperCase(Locale.ROOT)),
                c.attachments().stream().map(PlatformMessages::attachment).toList(),
                c.buttons().stream().map(b -> new Button(b.text(), b.value(), uri(b.url()), style(b.style(), b.url()))).toList(),
                c.embeds().stream().map(PlatformMessages::embed).toList(), template(c.template()));
        Map<String, String> metadata = new LinkedHashMap<>();
        MessageBody.Metadata m = body.metadata();
        if (m != null) {
            if (m.trackingId() != null) {
                metadata.put("trackingId", m.trackingId());
            }
            if (m.tags() != null && !m.tags().isEmpty()) {
                metadata.put("tags", String.join(",", m.tags()));
            }
            if (m.priority() != null) {
                metadata.put("priority", m.priority().wireName());
            }
        }
        return new OutboundMessage(deliveryId, new Target(TargetType.valueOf(target.type().toUpperCase(Locale.ROOT)), target.id()),
                content, new SendOptions(body.options().replyTo(), body.options().threadId(), body.options().silent(),
                        body.options().linkPreview()), metadata);
    }

    private static MessageTemplate template(SendMessageRequest.TemplateRequest t) {
        if (t == null) {
            return null;
        }
        List<TemplateButtonParameter> buttons = t.buttons() == null ? List.of() : t.buttons().stream()
                .map(b -> new TemplateButtonParameter(b.index(), TemplateButtonParameter.Kind.valueOf(b.type().toUpperCase(Locale.ROOT)),
                        b.value()))
                .toList();
        return new MessageTemplate(t.name(), t.language(), templateParameters(t.header()), templateParameters(t.body()), buttons);
    }

    private static List<TemplateParameter> templateParameters(List<SendMessageRequest.TemplateParameterRequest> given) {
        if (given == null) {
            return List.of();
        }
        return given.stream().map(p -> {
            TemplateParameter.Type type = p.type() == null ? TemplateParameter.Type.TEXT
                    : TemplateParameter.Type.valueOf(p.type().toUpperCase(Locale.ROOT));
            return new TemplateParameter(type, type == TemplateParameter.Type.TEXT ? p.text() : p.url(), p.name());
        }).toList();
    }

    private static Attachment attachment(MessageBody.Attachment a) {
        return new Attachment(uri(a.url()), a.data() == null ? null : Base64.getDecoder().decode(a.data()), a.filename(), a.mimeType(),
                a.caption());
    }

    private static Embed embed(SendMessageRequest.EmbedRequest e) {
        List<EmbedField> fields = e.fields() == null ? List.of()
                : e.fields().stream().map(f -> new EmbedField(f.name(), f.value(), Boolean.TRUE.equals(f.inline()))).toList();
        return new Embed(e.title(), e.description(), e.color(), uri(e.url()), uri(e.imageUrl()), uri(e.thumbnailUrl()), e.author(),
                e.footer(), fields, e.timestamp());
    }

    private static ButtonStyle style(String style, String url) {
        if (style == null) {
            return url != null ? ButtonStyle.LINK : ButtonStyle.PRIMARY;
        }
        try {
            return ButtonStyle.valueOf(style.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return ButtonStyle.PRIMARY;
        }
    }

    private static URI uri(String value) {
        return value == null ? null : URI.create(value);
    }
}
