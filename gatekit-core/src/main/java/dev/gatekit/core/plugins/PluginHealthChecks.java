package dev.gatekit.core.plugins;

import com.codahale.metrics.health.HealthCheckRegistry;
import dev.gatekit.core.health.DependencyHealthCheck;

/** Keeps one admin-port health check per loaded platform ({@code plugin-<platform>}), added and removed with it. */
public final class PluginHealthChecks implements PlatformListener {

    private final HealthCheckRegistry healthChecks;
    private final PlatformRegistry registry;

    public PluginHealthChecks(HealthCheckRegistry healthChecks, PlatformRegistry registry) {
        this.healthChecks = healthChecks;
        this.registry = registry;
    }

    @Override
    public void platformAdded(LoadedPlatform platform) {
        PluginCheck check = new PluginCheck(registry, platform.platformId());
        healthChecks.unregister(check.name());
        healthChecks.register(check.name(), new DependencyHealthCheck(check));
    }

    @Override
    public void platformRemoved(LoadedPlatform platform) {
        healthChecks.unregister(new PluginCheck(registry, platform.platformId()).name());
    }
}
