package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.Attachment;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * WhatsApp's five media message types, chosen by MIME type (else by file extension) among the
 * types WhatsApp plays for each; anything else travels as a document, which takes any file.
 */
enum MediaKind {
    IMAGE("image", true),
    VIDEO("video", true),
    AUDIO("audio", false),
    DOCUMENT("document", true),
    STICKER("sticker", false);

    private static final Map<String, MediaKind> BY_MIME_TYPE = Map.ofEntries(
            Map.entry("image/jpeg", IMAGE), Map.entry("image/png", IMAGE),
            Map.entry("image/webp", STICKER),
            Map.entry("video/mp4", VIDEO), Map.entry("video/3gpp", VIDEO),
            Map.entry("audio/aac", AUDIO), Map.entry("audio/amr", AUDIO), Map.entry("audio/mpeg", AUDIO),
            Map.entry("audio/mp4", AUDIO), Map.entry("audio/ogg", AUDIO));
    private static final Map<String, String> MIME_TYPE_BY_EXTENSION = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("webp", "image/webp"), Map.entry("mp4", "video/mp4"), Map.entry("3gp", "video/3gpp"),
            Map.entry("aac", "audio/aac"), Map.entry("amr", "audio/amr"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("m4a", "audio/mp4"), Map.entry("ogg", "audio/ogg"), Map.entry("opus", "audio/ogg"),
            Map.entry("pdf", "application/pdf"), Map.entry("txt", "text/plain"));
    /** A MIME type as it may appear in a multipart header: no parameters, no line breaks. */
    private static final Pattern MIME_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*");

    private final String wireName;
    private final boolean takesCaption;

    MediaKind(String wireName, boolean takesCaption) {
        this.wireName = wireName;
        this.takesCaption = takesCaption;
    }

    /** The message {@code type} and the name of its media object. */
    String wireName() {
        return wireName;
    }

    boolean takesCaption() {
        return takesCaption;
    }

    /** Only these can head an interactive message. */
    boolean canBeHeader() {
        return this == IMAGE || this == VIDEO || this == DOCUMENT;
    }

    static MediaKind of(Attachment attachment) {
        return BY_MIME_TYPE.getOrDefault(mimeType(attachment), DOCUMENT);
    }

    /** The attachment's MIME type, else its extension's, else {@code application/octet-stream}; always safe in a header. */
    static String mimeType(Attachment attachment) {
        String given = attachment.mimeType() == null ? "" : attachment.mimeType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (MIME_TYPE.matcher(given).matches()) {
            return given;
        }
        return extension(attachment).map(MIME_TYPE_BY_EXTENSION::get).orElse("application/octet-stream");
    }

    /** The file name to show: the given one, else the URL's last path segment. */
    static Optional<String> filename(Attachment attachment) {
        if (attachment.filename() != null && !attachment.filename().isBlank()) {
            return Optional.of(attachment.filename());
        }
        String path = attachment.url() == null || attachment.url().getPath() == null ? "" : attachment.url().getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isBlank() ? Optional.empty() : Optional.of(last);
    }

    private static Optional<String> extension(Attachment attachment) {
        return filename(attachment).filter(name -> name.lastIndexOf('.') > 0)
                .map(name -> name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
    }
}
