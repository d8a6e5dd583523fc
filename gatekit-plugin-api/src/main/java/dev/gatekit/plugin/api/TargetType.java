package dev.gatekit.plugin.api;

/** The kind of thing a message is addressed to; see {@link Target}. */
public enum TargetType {
    /** A person, by the platform's user id (a direct message). */
    USER,
    /** A channel, by the platform's channel or chat id. */
    CHANNEL,
    /** A group chat, by the platform's group id. */
    GROUP,
    /** A thread, by the platform's thread id. */
    THREAD
}
