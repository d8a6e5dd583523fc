package dev.gatekit.core.events;

import java.util.List;

/** The kinds of event GateKit sends to a project's endpoints. An endpoint subscribes to some, or {@code *} for all. */
public final class EventKinds {

    /** Someone wrote to the project's bot or channel on a platform. */
    public static final String MESSAGE_RECEIVED = "message.received";
    /** Someone pressed a button GateKit sent. */
    public static final String BUTTON_CLICKED = "button.clicked";
    /** Someone invoked a command (a slash or bot command). */
    public static final String COMMAND_RECEIVED = "command.received";
    /** A target of a sent message was delivered to its platform. */
    public static final String MESSAGE_DELIVERED = "message.delivered";
    /** A target of a sent message failed for good. */
    public static final String MESSAGE_FAILED = "message.failed";
    /** The platform reported what became of a sent message (delivered to the device, read, failed). */
    public static final String MESSAGE_STATUS = "message.status";
    public static final String ALL = "*";

    public static final List<String> KNOWN = List.of(MESSAGE_RECEIVED, BUTTON_CLICKED, COMMAND_RECEIVED, MESSAGE_DELIVERED,
            MESSAGE_FAILED, MESSAGE_STATUS);

    private EventKinds() {
    }
}
