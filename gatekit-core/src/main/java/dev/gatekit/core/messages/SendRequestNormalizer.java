package dev.gatekit.core.messages;

import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.messages.SendMessageRequest.AttachmentRequest;
import dev.gatekit.core.messages.SendMessageRequest.ContentRequest;
import dev.gatekit.core.messages.SendMessageRequest.TargetRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns any of the three accepted send shapes into one {@link MessageBody}, naming every field
 * that is wrong. Targets come out with the reference the client gave ({@code platformId} may
 * still be a platform name); {@link MessageService} resolves them against the project.
 */
final class SendRequestNormalizer {

    static final int MAX_TARGETS = 100;
    static final int MAX_ATTACHMENTS = 10;
    static final int MAX_TEXT_LENGTH = 100_000;
    /** Far enough for any real schedule, and inside what Postgres' timestamptz holds. */
    static final java.time.Instant LATEST_SCHEDULE = java.time.Instant.parse("9999-12-31T00:00:00Z");
    private static final Set<String> TARGET_TYPES = Set.of("user", "channel", "group", "thread");
    private static final Set<String> FORMATS = Set.of("plain", "markdown", "html");
    private static final Set<String> TEMPLATE_PARAMETER_TYPES = Set.of("text", "image", "video", "document");
    private static final Set<String> TEMPLATE_BUTTON_TYPES = Set.of("quick_reply", "url");

    private final List<ErrorDetail> errors = new ArrayList<>();

    private SendRequestNormalizer() {
    }

    static MessageBody normalize(SendMessageRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "a message is required");
        }
        SendRequestNormalizer normalizer = new SendRequestNormalizer();
        MessageBody body = normalizer.build(request);
        if (!normalizer.errors.isEmpty()) {
            throw ApiException.invalid(normalizer.errors);
        }
        return body;
    }

    private MessageBody build(SendMessageRequest r) {
        List<MessageBody.Target> targets = targets(r);
        MessageBody.Content content = content(r);
        SendMessageRequest.OptionsRequest o = r.options();
        String threadId = firstOf("threadId", o == null ? null : o.threadId(), r.threadId());
        String replyTo = firstOf("replyTo", o == null ? null : o.replyTo(), r.replyTo());
        if (o != null && o.scheduled() != null && o.scheduled().isAfter(LATEST_SCHEDULE)) {
            error("options.scheduled", "must be before " + LATEST_SCHEDULE);
        }
        MessageBody.Options options = new MessageBody.Options(replyTo, threadId, o != null && Boolean.TRUE.equals(o.silent()),
                o == null ? null : o.scheduled(), o == null ? null : o.linkPreview());
        return new MessageBody(targets, content, options, metadata(r.metadata()));
    }

    private List<MessageBody.Target> targets(SendMessageRequest r) {
        List<TargetRequest> given;
        String prefix;
        if (r.targets() != null) {
            if (r.target() != null || r.platform() != null) {
                error("targets", "send either targets, or platform with target, not both");
            }
            if (r.targets().isEmpty()) {
                error("targets", "must not be empty");
            }
            if (r.targets().size() > MAX_TARGETS) {
                error("targets", "at most " + MAX_TARGETS + " targets per message");
            }
            given = r.targets();
            prefix = "targets";
        } else {
            if (r.target() == null) {
                error("targets", "required: send targets, or platform with target");
                return List.of();
            }
            String platform = r.platform() != null ? r.platform()
                    : r.target().platformId() != null ? r.target().platformId() : r.target().platform();
            if (platform == null || platform.isBlank()) {
                error("platform", "required with target");
            }
            given = List.of(new TargetRequest(platform, null, r.target().type(), r.target().id()));
            prefix = null;
        }
        List<MessageBody.Target> targets = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            TargetRequest t = given.get(i);
            String field = prefix == null ? "target" : prefix + "[" + i + "]";
            if (t == null) {
                error(field, "must be an object");
                continue;
            }
            String platformRef = t.platformId() != null ? t.platformId() : t.platform();
            if (prefix != null && (platformRef == null || platformRef.isBlank())) {
                error(field + ".platformId", "required");
            }
            String type = t.type() == null ? null : t.type().toLowerCase(Locale.ROOT);
            if (type == null) {
                error(field + ".type", "required: one of user, channel, group, thread");
            } else if (!TARGET_TYPES.contains(type)) {
                error(field + ".type", "must be one of user, channel, group, thread");
            }
            if (t.id() == null || t.id().isBlank()) {
                error(field + ".id", "required");
            } else if (t.id().length() > 255) {
                error(field + ".id", "at most 255 characters");
            }
            targets.add(new MessageBody.Target(platformRef, null, type, t.id()));
        }
        return targets;
    }

    private MessageBody.Content content(SendMessageRequest r) {
        boolean flat = r.text() != null || r.markdown() != null || r.html() != null || r.attachments() != null
                || r.buttons() != null || r.embeds() != null || r.template() != null;
        if (r.content() != null && flat) {
            error("content", "send the message either in content or as top-level text/attachments, not both");
        }
        ContentRequest c = r.content() != null ? r.content()
                : new ContentRequest(r.text(), r.markdown(), r.html(), null, r.attachments(), r.buttons(), r.embeds(), r.template());
        String text = c.text();
        String format = c.format() == null ? null : c.format().toLowerCase(Locale.ROOT);
        if (c.markdown() != null) {
            text = textOnce(text, c.markdown());
            format = "markdown";
        }
        if (c.html() != null) {
            text = textOnce(text, c.html());
            format = "html";
        }
        if (format == null) {
            format = "plain";
        } else if (!FORMATS.contains(format)) {
            error("content.format", "must be one of plain, markdown, html");
        }
        if (text != null && text.length() > MAX_TEXT_LENGTH) {
            error("content.text", "at most " + MAX_TEXT_LENGTH + " characters");
        }
        List<MessageBody.Attachment> attachments = attachments(c.attachments());
        if (c.template() != null) {
            checkTemplate(c.template());
            if (!isBlank(text) || !attachments.isEmpty() || (c.buttons() != null && !c.buttons().isEmpty())
                    || (c.embeds() != null && !c.embeds().isEmpty())) {
                error("content.template", "a template message carries no text, attachments, buttons or embeds");
            }
        } else if ((text == null || text.isBlank()) && attachments.isEmpty() && (c.embeds() == null || c.embeds().isEmpty())) {
            error("content.text", "a message needs text, attachments, embeds or a template");
        }
        if (c.buttons() != null) {
            for (int i = 0; i < c.buttons().size(); i++) {
                var button = c.buttons().get(i);
                if (button == null || button.text() == null || button.text().isBlank()) {
                    error("content.buttons[" + i + "].text", "required");
                } else if ((button.value() == null) == (button.url() == null)) {
                    error("content.buttons[" + i + "]", "needs exactly one of value (a callback) and url (a link)");
                } else if (button.url() != null) {
                    checkUrl("content.buttons[" + i + "].url", button.url());
                }
            }
        }
        if (c.embeds() != null) {
            for (int i = 0; i < c.embeds().size(); i++) {
                checkEmbed("content.embeds[" + i + "]", c.embeds().get(i));
            }
        }
        return new MessageBody.Content(text, format, attachments, c.buttons() == null ? List.of() : c.buttons(),
                c.embeds() == null ? List.of() : c.embeds(), c.template());
    }

    private void checkTemplate(SendMessageRequest.TemplateRequest t) {
        if (isBlank(t.name())) {
            error("content.template.name", "required");
        }
        if (isBlank(t.language())) {
            error("content.template.language", "required, such as en_US");
        }
        checkTemplateParameters("content.template.header", t.header());
        checkTemplateParameters("content.template.body", t.body());
        if (t.buttons() != null) {
            for (int i = 0; i < t.buttons().size(); i++) {
                var button = t.buttons().get(i);
                String field = "content.template.buttons[" + i + "]";
                if (button == null || button.index() == null || button.index() < 0) {
                    error(field + ".index", "required: the button's position in the template, from 0");
                } else if (button.type() == null || !TEMPLATE_BUTTON_TYPES.contains(lower(button.type()))) {
                    error(field + ".type", "must be quick_reply or url");
                } else if (isBlank(button.value())) {
                    error(field + ".value", "required");
                }
            }
        }
    }

    private void checkTemplateParameters(String field, List<SendMessageRequest.TemplateParameterRequest> parameters) {
        if (parameters == null) {
            return;
        }
        for (int i = 0; i < parameters.size(); i++) {
            var p = parameters.get(i);
            String item = field + "[" + i + "]";
            String type = p == null || p.type() == null ? "text" : lower(p.type());
            if (p == null || !TEMPLATE_PARAMETER_TYPES.contains(type)) {
                error(item + ".type", "must be text, image, video or document");
            } else if (type.equals("text") ? isBlank(p.text()) : p.url() == null) {
                error(item + (type.equals("text") ? ".text" : ".url"), "required");
            } else if (!type.equals("text")) {
                checkUrl(item + ".url", p.url());
            }
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private void checkEmbed(String field, SendMessageRequest.EmbedRequest e) {
        if (e == null) {
            error(field, "must be an object");
            return;
        }
        if (isBlank(e.title()) && isBlank(e.description()) && e.imageUrl() == null && (e.fields() == null || e.fields().isEmpty())) {
            error(field, "needs a title, description, imageUrl or fields");
        }
        if (e.color() != null && (e.color() < 0 || e.color() > 0xFFFFFF)) {
            error(field + ".color", "must be an RGB value from 0 to 16777215");
        }
        for (String[] url : new String[][] {{"url", e.url()}, {"imageUrl", e.imageUrl()}, {"thumbnailUrl", e.thumbnailUrl()}}) {
            if (url[1] != null) {
                checkUrl(field + "." + url[0], url[1]);
            }
        }
        if (e.fields() != null) {
            for (int i = 0; i < e.fields().size(); i++) {
                var f = e.fields().get(i);
                if (f == null || isBlank(f.name()) || isBlank(f.value())) {
                    error(field + ".fields[" + i + "]", "needs a name and a value");
                }
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private String textOnce(String text, String alternative) {
        if (text != null) {
            error("content.text", "send only one of text, markdown and html");
        }
        return alternative;
    }

    private List<MessageBody.Attachment> attachments(List<AttachmentRequest> given) {
        if (given == null) {
            return List.of();
        }
        if (given.size() > MAX_ATTACHMENTS) {
            error("content.attachments", "at most " + MAX_ATTACHMENTS + " attachments");
        }
        List<MessageBody.Attachment> attachments = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            AttachmentRequest a = given.get(i);
            String field = "content.attachments[" + i + "]";
            if (a == null || (a.url() == null) == (a.data() == null)) {
                error(field, "needs exactly one of url and data");
                continue;
            }
            if (a.url() != null) {
                checkUrl(field + ".url", a.url());
            } else {
                try {
                    Base64.getDecoder().decode(a.data());
                } catch (IllegalArgumentException e) {
                    error(field + ".data", "must be base64");
                }
            }
            String filename = a.filename() != null ? a.filename() : a.name();
            String mimeType = a.mimeType() != null ? a.mimeType() : a.mime();
            if (a.data() != null && mimeType == null) {
                error(field + ".mimeType", "required with data");
            }
            attachments.add(new MessageBody.Attachment(a.url(), a.data(), filename, mimeType, a.caption()));
        }
        return attachments;
    }

    private void checkUrl(String field, String url) {
        try {
            URI uri = URI.create(url);
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
                error(field, "must be an http or https URL");
            } else if (uri.getHost() == null) {
                error(field, "must name a host");
            }
        } catch (IllegalArgumentException e) {
            error(field, "is not a valid URL");
        }
    }

    private MessageBody.Metadata metadata(SendMessageRequest.MetadataRequest m) {
        if (m == null) {
            return new MessageBody.Metadata(null, List.of(), Priority.NORMAL);
        }
        Priority priority = Priority.NORMAL;
        if (m.priority() != null) {
            try {
                priority = Priority.valueOf(m.priority().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error("metadata.priority", "must be one of low, normal, high");
            }
        }
        if (m.trackingId() != null && m.trackingId().length() > 200) {
            error("metadata.trackingId", "at most 200 characters");
        }
        return new MessageBody.Metadata(m.trackingId(), m.tags() == null ? List.of() : m.tags(), priority);
    }

    private String firstOf(String field, String nested, String flat) {
        if (nested != null && flat != null && !nested.equals(flat)) {
            error(field, "given twice with different values (options." + field + " and " + field + ")");
        }
        return nested != null ? nested : flat;
    }

    private void error(String field, String problem) {
        errors.add(new ErrorDetail(field, problem));
    }
}
