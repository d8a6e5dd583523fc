package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.MessageTemplate;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.TemplateButtonParameter;
import dev.gatekit.plugin.api.TemplateParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns one {@link OutboundMessage} into the Cloud API messages that carry it, in order:
 * a template alone; else each attachment as a media message (the text as the caption of a lone
 * image, video or document), then the text, or the buttons with the text as an interactive
 * message. Everything WhatsApp would refuse for its shape is refused here, before any call.
 */
final class WhatsAppMessages {

    static final int MAX_TEXT = 4096;
    static final int MAX_CAPTION = 1024;
    static final int MAX_INTERACTIVE_BODY = 1024;
    static final int MAX_REPLY_BUTTONS = 3;
    static final int MAX_REPLY_BUTTON_TITLE = 20;
    static final int MAX_LIST_ROWS = 10;
    static final int MAX_LIST_ROW_TITLE = 24;
    static final int MAX_BUTTON_ID = 200;

    /**
     * One message to send. An inline attachment is uploaded first and {@code body} receives its
     * media id; otherwise {@code body} receives null.
     */
    record Part(Attachment upload, Function<String, Map<String, Object>> body) {
    }

    private WhatsAppMessages() {
    }

    static List<Part> plan(OutboundMessage message, String listButtonText) throws PermanentDeliveryException {
        String to = PhoneNumbers.international(message.target().id());
        MessageContent content = message.content();
        List<Part> parts = new ArrayList<>();
        if (content.template() != null) {
            Map<String, Object> template = template(content.template());
            parts.add(new Part(null, mediaId -> envelope(to, "template", template)));
        } else {
            String text = content.text() == null || content.text().isBlank() ? null : content.text();
            if (text != null && text.length() > MAX_TEXT) {
                throw new PermanentDeliveryException(ReasonCodes.CONTENT_TOO_LARGE, "a WhatsApp text is at most " + MAX_TEXT + " characters");
            }
            List<Attachment> attachments = new ArrayList<>(content.attachments());
            Attachment header = null;
            if (!content.buttons().isEmpty() && content.buttons().size() <= MAX_REPLY_BUTTONS && attachments.size() == 1
                    && !attachments.get(0).isInline() && MediaKind.of(attachments.get(0)).canBeHeader()) {
                // Media by URL can head reply buttons; uploaded media, and any media with a list, go in a message of their own.
                header = attachments.remove(0);
            }
            boolean captionText = content.buttons().isEmpty() && text != null && text.length() <= MAX_CAPTION
                    && attachments.size() == 1 && attachments.get(0).caption() == null && MediaKind.of(attachments.get(0)).takesCaption();
            for (Attachment attachment : attachments) {
                parts.addAll(media(to, attachment, captionText ? text : attachment.caption()));
            }
            if (!content.buttons().isEmpty()) {
                Map<String, Object> interactive = interactive(text, header, content.buttons(), listButtonText);
                parts.add(new Part(null, mediaId -> envelope(to, "interactive", interactive)));
            } else if (text != null && !captionText) {
                Map<String, Object> body = new LinkedHashMap<>();
                if (Boolean.TRUE.equals(message.options().linkPreview())) {
                    body.put("preview_url", true);
                }
                body.put("body", text);
                parts.add(new Part(null, mediaId -> envelope(to, "text", body)));
            }
        }
        if (parts.isEmpty()) {
            throw new PermanentDeliveryException(ReasonCodes.UNSUPPORTED_CONTENT, "WhatsApp carries text, attachments, buttons or a template");
        }
        String replyTo = message.options().replyTo();
        if (replyTo != null && !replyTo.isBlank()) {
            Part first = parts.get(0);
            parts.set(0, new Part(first.upload(), mediaId -> {
                Map<String, Object> body = first.body().apply(mediaId);
                body.put("context", Map.of("message_id", replyTo));
                return body;
            }));
        }
        return parts;
    }

    private static Map<String, Object> envelope(String to, String type, Map<String, Object> payload) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("messaging_product", "whatsapp");
        message.put("recipient_type", "individual");
        message.put("to", to);
        message.put("type", type);
        message.put(type, payload);
        return message;
    }

    /** The media message, and a text message after it for a caption its type cannot carry (audio, sticker). */
    private static List<Part> media(String to, Attachment attachment, String caption) throws PermanentDeliveryException {
        MediaKind kind = MediaKind.of(attachment);
        String shownCaption = kind.takesCaption() ? caption : null;
        if (shownCaption != null && shownCaption.length() > MAX_CAPTION) {
            throw new PermanentDeliveryException(ReasonCodes.CONTENT_TOO_LARGE, "a WhatsApp caption is at most " + MAX_CAPTION + " characters");
        }
        List<Part> parts = new ArrayList<>();
        parts.add(new Part(attachment.isInline() ? attachment : null,
                mediaId -> envelope(to, kind.wireName(), mediaObject(attachment, kind, mediaId, shownCaption))));
        if (caption != null && shownCaption == null) {
            parts.add(new Part(null, mediaId -> envelope(to, "text", new LinkedHashMap<>(Map.of("body", caption)))));
        }
        return parts;
    }

    private static Map<String, Object> mediaObject(Attachment attachment, MediaKind kind, String mediaId, String caption) {
        Map<String, Object> media = new LinkedHashMap<>();
        if (mediaId != null) {
            media.put("id", mediaId);
        } else {
            media.put("link", attachment.url().toString());
        }
        if (caption != null) {
            media.put("caption", caption);
        }
        if (kind == MediaKind.DOCUMENT) {
            MediaKind.filename(attachment).ifPresent(name -> media.put("filename", name));
        }
        return media;
    }

    private static Map<String, Object> interactive(String text, Attachment header, List<Button> buttons, String listButtonText)
            throws PermanentDeliveryException {
        if (text == null) {
            throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED, "WhatsApp buttons need text to go with them");
        }
        if (text.length() > MAX_INTERACTIVE_BODY) {
            throw new PermanentDeliveryException(ReasonCodes.CONTENT_TOO_LARGE,
                    "a WhatsApp text with buttons is at most " + MAX_INTERACTIVE_BODY + " characters");
        }
        List<Button> links = buttons.stream().filter(b -> b.url() != null).toList();
        List<Button> replies = buttons.stream().filter(b -> b.value() != null).toList();
        Map<String, Object> interactive = new LinkedHashMap<>();
        Map<String, Object> action = new LinkedHashMap<>();
        if (!links.isEmpty()) {
            if (links.size() > 1 || !replies.isEmpty()) {
                throw new PermanentDeliveryException(ReasonCodes.UNSUPPORTED_CONTENT,
                        "WhatsApp carries one link button alone, or up to " + MAX_LIST_ROWS + " reply buttons, not both");
            }
            interactive.put("type", "cta_url");
            action.put("name", "cta_url");
            action.put("parameters", Map.of("display_text", title(links.get(0), MAX_REPLY_BUTTON_TITLE), "url", links.get(0).url().toString()));
        } else if (replies.size() <= MAX_REPLY_BUTTONS) {
            interactive.put("type", "button");
            List<Object> items = new ArrayList<>();
            for (Button button : replies) {
                items.add(Map.of("type", "reply", "reply", Map.of("id", id(button), "title", title(button, MAX_REPLY_BUTTON_TITLE))));
            }
            action.put("buttons", items);
        } else if (replies.size() <= MAX_LIST_ROWS) {
            interactive.put("type", "list");
            List<Object> rows = new ArrayList<>();
            for (Button button : replies) {
                rows.add(Map.of("id", id(button), "title", title(button, MAX_LIST_ROW_TITLE)));
            }
            action.put("button", listButtonText);
            action.put("sections", List.of(Map.of("rows", rows)));
        } else {
            throw new PermanentDeliveryException(ReasonCodes.UNSUPPORTED_CONTENT,
                    "WhatsApp shows at most " + MAX_LIST_ROWS + " choices in one message, not " + replies.size());
        }
        if (header != null) {
            MediaKind kind = MediaKind.of(header);
            interactive.put("header", Map.of("type", kind.wireName(), kind.wireName(), mediaObject(header, kind, null, null)));
        }
        interactive.put("body", Map.of("text", text));
        interactive.put("action", action);
        return interactive;
    }

    private static String title(Button button, int max) throws PermanentDeliveryException {
        if (button.text().length() > max) {
            throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED,
                    "a WhatsApp button title is at most " + max + " characters here: '" + button.text() + "'");
        }
        return button.text();
    }

    private static String id(Button button) throws PermanentDeliveryException {
        if (button.value().length() > MAX_BUTTON_ID) {
            throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED,
                    "a WhatsApp button value is at most " + MAX_BUTTON_ID + " characters");
        }
        return button.value();
    }

    private static Map<String, Object> template(MessageTemplate template) {
        List<Object> components = new ArrayList<>();
        if (!template.headerParameters().isEmpty()) {
            components.add(component("header", template.headerParameters()));
        }
        if (!template.bodyParameters().isEmpty()) {
            components.add(component("body", template.bodyParameters()));
        }
        for (TemplateButtonParameter button : template.buttons()) {
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("type", "button");
            component.put("sub_type", button.kind().name().toLowerCase(Locale.ROOT));
            component.put("index", Integer.toString(button.index()));
            component.put("parameters", List.of(button.kind() == TemplateButtonParameter.Kind.QUICK_REPLY
                    ? Map.of("type", "payload", "payload", button.value())
                    : Map.of("type", "text", "text", button.value())));
            components.add(component);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", template.name());
        body.put("language", Map.of("code", template.language()));
        if (!components.isEmpty()) {
            body.put("components", components);
        }
        return body;
    }

    private static Map<String, Object> component(String type, List<TemplateParameter> parameters) {
        List<Object> values = new ArrayList<>();
        for (TemplateParameter parameter : parameters) {
            Map<String, Object> value = new LinkedHashMap<>();
            String kind = parameter.type().name().toLowerCase(Locale.ROOT);
            value.put("type", kind);
            if (parameter.type() == TemplateParameter.Type.TEXT) {
                if (parameter.name() != null) {
                    value.put("parameter_name", parameter.name());
                }
                value.put("text", parameter.value());
            } else {
                value.put(kind, Map.of("link", parameter.value()));
            }
            values.add(value);
        }
        return Map.of("type", type, "parameters", values);
    }
}
