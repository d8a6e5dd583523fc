package dev.gatekit.core.platforms;

import java.util.List;

/**
 * A stored configuration lacks a field its platform's plugin now requires (a newer plugin version
 * added it). Not the message's fault: its targets wait until the configuration is completed.
 */
public final class IncompleteConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> missing;

    public IncompleteConfigurationException(String platform, List<String> missing) {
        super("the " + platform + " plugin now requires " + String.join(", ", missing)
                + ", which this configuration lacks; its messages wait until the configuration is updated");
        this.missing = List.copyOf(missing);
    }

    /** The missing fields, as {@code config.<name>} or {@code credentials.<name>}. */
    public List<String> missing() {
        return missing;
    }
}
