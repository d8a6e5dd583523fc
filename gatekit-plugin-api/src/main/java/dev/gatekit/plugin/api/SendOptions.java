package dev.gatekit.plugin.api;

/**
 * How to send a message.
 *
 * @param replyTo     the platform message id to reply to, or null
 * @param threadId    the platform thread to post in, or null
 * @param silent      true to send without a notification where the platform allows it
 * @param linkPreview true to ask for a preview of the first link in the text, false to suppress
 *                    one, null for the platform's default; a hint that platforms without link
 *                    previews ignore (since 1.2.0)
 */
public record SendOptions(String replyTo, String threadId, boolean silent, Boolean linkPreview) {

    /** No reply, no thread, with notification, the platform's default link preview. */
    public static final SendOptions NONE = new SendOptions(null, null, false, null);

    /**
     * Options with the platform's default link preview, as before API 1.2.0.
     *
     * @param replyTo  the platform message id to reply to, or null
     * @param threadId the platform thread to post in, or null
     * @param silent   true to send without a notification where the platform allows it
     */
    public SendOptions(String replyTo, String threadId, boolean silent) {
        this(replyTo, threadId, silent, null);
    }
}
