package dev.gatekit.core.plugins;

import dev.gatekit.plugin.api.GateKitPluginApi;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's own class loader: classes are looked up in the plugin jar first, so a plugin may
 * bundle any library version, except the packages in {@link GateKitPluginApi#HOST_FIRST_PACKAGES}
 * (the JDK, PF4J, the plugin API, SLF4J), which always come from the host so that casts,
 * extension lookup and logging work. That constant is the one list; nothing else decides it.
 */
final class HostFirstPluginClassLoader extends PluginClassLoader {

    HostFirstPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader host) {
        super(manager, descriptor, host, ClassLoadingStrategy.PDA);
    }

    @Override
    protected boolean shouldDelegateToParent(String className) {
        return GateKitPluginApi.isHostFirst(className);
    }
}
