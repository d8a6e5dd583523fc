package dev.gatekit.plugin.api;

/**
 * What a platform can carry or do. The host rejects, with a 422 naming the field, a message that
 * uses something its platform does not declare, so a plugin never receives content it cannot send.
 */
public enum Capability {
    /** Plain text messages. Almost every platform declares it. */
    TEXT,
    /** Text in {@link TextFormat#MARKDOWN}. */
    MARKDOWN,
    /** Text in {@link TextFormat#HTML}. */
    HTML,
    /** Attachments given by URL. */
    ATTACHMENTS,
    /** Attachments given as inline bytes ({@link Attachment#data()}). */
    INLINE_ATTACHMENTS,
    /** Buttons that send a value back as an {@link InteractionReceived}. */
    BUTTONS,
    /** Buttons that open a URL. */
    LINK_BUTTONS,
    /** Rich embeds ({@link Embed}). */
    EMBEDS,
    /** Posting into a thread ({@link SendOptions#threadId()}, {@link TargetType#THREAD}). */
    THREADS,
    /** Replying to a given message ({@link SendOptions#replyTo()}). */
    REPLIES,
    /** Sending without a notification ({@link SendOptions#silent()}). */
    SILENT,
    /** Receiving events through {@link PlatformClient#handleWebhook}. */
    INBOUND_WEBHOOK,
    /** Receiving events over a connection the plugin holds, published to an {@link InboundSink}. */
    INBOUND_CONNECTION,
    /** Reporting {@link DeliveryStatusUpdate}s for sent messages. */
    DELIVERY_STATUS,
    /**
     * Template messages ({@link MessageContent#template()}).
     *
     * @since 1.2.0
     */
    TEMPLATES,
    /**
     * The client registers this configuration's {@link PlatformContext#webhookUrl()} with the platform
     * when it opens (Telegram's {@code setWebhook}, say). The host then opens the client of every
     * active configuration when the plugin loads, and again when a configuration is created or
     * changed (new credentials, a rolled webhook token), on every instance, rather than on its first
     * send: a configuration that only receives would otherwise never be told to the platform.
     * Registration must therefore be idempotent.
     *
     * @since 1.3.0
     */
    WEBHOOK_REGISTRATION
}
