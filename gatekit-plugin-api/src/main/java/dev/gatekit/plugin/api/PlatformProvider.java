package dev.gatekit.plugin.api;

import org.pf4j.ExtensionPoint;

/**
 * The entry point of a platform plugin: a long-lived factory for one chat platform.
 *
 * <p>Implement it in a public class with a public no-argument constructor and annotate that class
 * with {@code @org.pf4j.Extension}; PF4J's annotation processor then lists it in
 * {@code META-INF/extensions.idx} and the host finds it when the plugin jar is loaded. The host
 * creates one instance per loaded plugin and may call it from many threads at once, so keep it
 * stateless. Per-configuration state (connections, caches, threads) belongs in the
 * {@link PlatformClient} that {@link #openClient} returns.
 *
 * <p>New methods are only ever added to this interface as {@code default} methods, so a plugin
 * compiled against an older {@code 1.x} API keeps loading.
 */
public interface PlatformProvider extends ExtensionPoint {

    /**
     * Describes the platform: its id, capabilities and the fields a configuration takes. The host
     * calls it often; return the same value every time (a constant is ideal).
     *
     * @return the platform's descriptor, never null
     */
    PlatformDescriptor descriptor();

    /**
     * Checks a configuration before the host stores it, for example by calling the platform's
     * "who am I" endpoint with the given token. The host has already checked that every required
     * field of the descriptor is present; this method checks what only the platform can tell.
     * It may make network calls through {@link PlatformContext#httpClient()}.
     *
     * <p>The default accepts everything.
     *
     * @param configuration the configuration to check, credentials already decrypted
     * @param context       the host services for this configuration
     * @throws InvalidConfigurationException naming the offending field when the configuration is
     *                                       unusable, for example a token the platform refuses
     */
    default void validateCredentials(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
    }

    /**
     * Opens a client for one platform configuration of one project. The host keeps the client
     * while the configuration is active and closes it when the configuration changes, is deleted,
     * or the plugin is unloaded. Opening should be cheap and must not block for long; connect
     * lazily or in the background if the platform needs a long-lived connection.
     *
     * @param configuration the configuration, credentials already decrypted
     * @param context       the host services for this configuration
     * @return a new client, never null
     * @throws InvalidConfigurationException naming the offending field when a value is missing or
     *                                       malformed
     */
    PlatformClient openClient(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException;

    /**
     * Tells the plugin that a user removed a configuration, so it can undo what it set up on the
     * platform for it, for example unregister the webhook URL it registered there. The host calls
     * it once, after the configuration is gone from its store and after any client open for it
     * has been closed. It is not called when a plugin is merely unloaded or reloaded, nor when a
     * configuration changes: {@link PlatformClient#close()} covers those.
     *
     * <p>The host treats this as best effort: the removal has already happened, so an exception
     * thrown here is logged and otherwise ignored. It may make network calls through
     * {@link PlatformContext#httpClient()}, but should not block for long; the user's delete
     * request waits for it.
     *
     * <p>The default does nothing.
     *
     * @param configuration the removed configuration, credentials already decrypted
     * @param context       the host services it had (its webhook URL, API base URL override, ...)
     */
    default void configurationRemoved(PlatformConfiguration configuration, PlatformContext context) {
    }
}
