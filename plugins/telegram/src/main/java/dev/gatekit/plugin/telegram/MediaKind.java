package dev.gatekit.plugin.telegram;

import dev.gatekit.plugin.api.Attachment;
import java.util.Locale;
import java.util.Map;

/**
 * Which Bot API method sends an attachment, chosen by MIME type (or, without one, by the file
 * name's extension). Only what Telegram plays inline becomes a photo, video or audio; everything
 * else goes as a document, which Telegram accepts in any format.
 */
enum MediaKind {
    PHOTO("sendphoto", "visual"),
    VIDEO("sendvideo", "visual"),
    AUDIO("sendaudio", "audio"),
    DOCUMENT("senddocument", "document");

    /** Telegram's limit for a photo upload; larger images go as documents. */
    static final long PHOTO_UPLOAD_LIMIT = 10L * 1024 * 1024;
    /** Telegram's limit for any upload through the public Bot API. */
    static final long UPLOAD_LIMIT = 50L * 1024 * 1024;

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"), Map.entry("mp4", "video/mp4"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("ogg", "audio/ogg"),
            Map.entry("pdf", "application/pdf"));

    private final String method;
    private final String albumFamily;

    MediaKind(String method, String albumFamily) {
        this.method = method;
        this.albumFamily = albumFamily;
    }

    /** The Bot API method, lower-cased as telegrambots sends it. */
    String method() {
        return method;
    }

    /** Telegram groups photos with videos, audio only with audio, documents only with documents. */
    String albumFamily() {
        return albumFamily;
    }

    static MediaKind of(Attachment attachment) {
        String mime = mimeType(attachment);
        MediaKind kind = switch (mime) {
            case "image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/webp" -> PHOTO;
            case "video/mp4" -> VIDEO;
            case "audio/mpeg", "audio/mp3", "audio/mp4", "audio/m4a", "audio/x-m4a" -> AUDIO;
            default -> DOCUMENT;
        };
        if (kind == PHOTO && attachment.isInline() && attachment.data().length > PHOTO_UPLOAD_LIMIT) {
            return DOCUMENT;
        }
        return kind;
    }

    static String mimeType(Attachment attachment) {
        if (attachment.mimeType() != null && !attachment.mimeType().isBlank()) {
            return attachment.mimeType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        }
        String name = attachment.filename() != null ? attachment.filename()
                : attachment.url() != null && attachment.url().getPath() != null ? attachment.url().getPath() : "";
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return EXTENSIONS.getOrDefault(extension, "application/octet-stream");
    }
}
