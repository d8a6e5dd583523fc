package dev.gatekit.core.plugins;

import dev.gatekit.core.health.DependencyCheck;
import dev.gatekit.plugin.api.PlatformDescriptor;

/** One loaded platform's health: its plugin is loaded and its provider answers. */
public final class PluginCheck implements DependencyCheck {

    private final PlatformRegistry registry;
    private final String platformId;

    public PluginCheck(PlatformRegistry registry, String platformId) {
        this.registry = registry;
        this.platformId = platformId;
    }

    @Override
    public String name() {
        return "plugin-" + platformId;
    }

    @Override
    public void check() {
        try (PlatformLease lease = registry.acquire(platformId)) {
            PlatformDescriptor descriptor = lease.provider().descriptor();
            if (descriptor == null || !platformId.equals(descriptor.id())) {
                throw new IllegalStateException("provider of '" + platformId + "' no longer describes itself");
            }
        }
    }
}
