package dev.gatekit.core.plugins;

import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.PlatformProvider;
import java.nio.file.Path;

/**
 * One platform served by a loaded plugin.
 *
 * @param provider      the plugin's provider; call it only while holding a {@link PlatformLease}
 * @param descriptor    what the provider described when the plugin was loaded
 * @param pluginId      the PF4J plugin id ({@code Plugin-Id})
 * @param pluginVersion the plugin's {@code Plugin-Version}
 * @param path          the jar it was loaded from
 */
public record LoadedPlatform(PlatformProvider provider, PlatformDescriptor descriptor, String pluginId,
                             String pluginVersion, Path path) {

    public String platformId() {
        return descriptor.id();
    }
}
