package dev.gatekit.plugin.api;

/**
 * How to send a message.
 *
 * @param replyTo  the platform message id to reply to, or null
 * @param threadId the platform thread to post in, or null
 * @param silent   true to send without a notification where the platform allows it
 */
public record SendOptions(String replyTo, String threadId, boolean silent) {

    /** No reply, no thread, with notification. */
    public static final SendOptions NONE = new SendOptions(null, null, false);
}
