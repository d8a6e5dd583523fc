package dev.gatekit.core.plugins;

/**
 * Hears platforms come and go as plugins load and unload. Called on the thread that loads or
 * unloads, one call at a time; keep it quick and never throw (a failure is logged and ignored).
 */
public interface PlatformListener {

    /** The platform can now be used (messages waiting for it may resume). */
    default void platformAdded(LoadedPlatform platform) {
    }

    /**
     * The platform is gone: no new lease is granted and in-flight calls have finished (or the drain
     * timed out). Close anything opened from it here; its plugin is stopped right after.
     */
    default void platformRemoved(LoadedPlatform platform) {
    }
}
