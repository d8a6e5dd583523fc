package dev.gatekit.core.plugins;

/** No loaded plugin serves the platform (never loaded, unloaded, or being unloaded). */
public class PlatformUnavailableException extends RuntimeException {

    private final String platformId;

    public PlatformUnavailableException(String platformId) {
        super("No plugin serving platform '" + platformId + "' is loaded");
        this.platformId = platformId;
    }

    public String platformId() {
        return platformId;
    }
}
