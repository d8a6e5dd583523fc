package dev.gatekit.core.plugins;

import dev.gatekit.plugin.api.GateKitPluginApi;
import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.RuntimeMode;

/**
 * PF4J configured for GateKit: plugin jars only (fat jars, one class loader each, see
 * {@link HostFirstPluginClassLoader}), always in deployment mode, with the plugin API version as
 * the system version so that a plugin's {@code Plugin-Requires} range is enforced. Not
 * thread-safe: {@link PluginHost} serialises every call.
 */
final class GateKitPluginManager extends DefaultPluginManager {

    GateKitPluginManager(Path pluginsDirectory) {
        super(pluginsDirectory);
        setSystemVersion(GateKitPluginApi.VERSION);
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        // pf4j.mode=development would switch to class-folder loading, which a server never wants.
        return RuntimeMode.DEPLOYMENT;
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new JarPluginLoader(this) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                return new HostFirstPluginClassLoader(pluginManager, descriptor, GateKitPluginManager.class.getClassLoader());
            }
        };
    }
}
