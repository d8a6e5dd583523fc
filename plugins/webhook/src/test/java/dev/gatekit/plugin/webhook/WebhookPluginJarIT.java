package dev.gatekit.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.plugin.api.GateKitPluginApi;
import dev.gatekit.plugin.api.PlatformProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/** Loads the finished fat jar with PF4J, as the host does. */
class WebhookPluginJarIT {

    private static Path pluginJar() {
        return Path.of(System.getProperty("gatekit.plugin.jar"));
    }

    @Test
    void jarBundlesNothingTheHostProvides() throws IOException {
        try (JarFile jar = new JarFile(pluginJar().toFile())) {
            List<String> names = jar.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertThat(names).contains("META-INF/extensions.idx", "dev/gatekit/plugin/webhook/WebhookPlatformProvider.class",
                    "com/fasterxml/jackson/jr/ob/JSON.class");
            assertThat(names).noneMatch(name -> name.startsWith("org/pf4j/") || name.startsWith("org/slf4j/")
                    || name.startsWith("dev/gatekit/plugin/api/") || name.startsWith("dev/gatekit/plugin/testkit/"));
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Id")).isEqualTo("webhook");
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Requires")).isEqualTo(">=1.3.0 & <2.0.0");
        }
    }

    @Test
    void pf4jLoadsTheJarAndFindsTheProvider(@TempDir Path pluginsDir) throws IOException {
        Files.copy(pluginJar(), pluginsDir.resolve(pluginJar().getFileName()));
        PluginManager manager = new DefaultPluginManager(pluginsDir);
        manager.setSystemVersion(GateKitPluginApi.VERSION);
        try {
            manager.loadPlugins();
            manager.startPlugins();
            assertThat(manager.getPlugin("webhook").getPluginState()).isEqualTo(PluginState.STARTED);

            List<PlatformProvider> providers = manager.getExtensions(PlatformProvider.class, "webhook");
            assertThat(providers).singleElement().satisfies(provider -> {
                assertThat(provider.descriptor().id()).isEqualTo("webhook");
                // The provider comes from the jar, the API it implements from the host.
                assertThat(provider.getClass().getClassLoader()).isSameAs(manager.getPluginClassLoader("webhook"));
            });
        } finally {
            // PF4J 3.15's stopPlugins() throws ConcurrentModificationException; stop one by one over a copy.
            for (PluginWrapper plugin : List.copyOf(manager.getStartedPlugins())) {
                manager.stopPlugin(plugin.getPluginId());
            }
            manager.unloadPlugins();
        }
    }

    @Test
    void pf4jRefusesTheJarOnANewMajorApi(@TempDir Path pluginsDir) throws IOException {
        Files.copy(pluginJar(), pluginsDir.resolve(pluginJar().getFileName()));
        PluginManager manager = new DefaultPluginManager(pluginsDir);
        manager.setSystemVersion("2.0.0");
        try {
            manager.loadPlugins();
            manager.startPlugins();
            assertThat(manager.getPlugin("webhook").getPluginState()).isNotEqualTo(PluginState.STARTED);
            assertThat(manager.getExtensions(PlatformProvider.class, "webhook")).isEmpty();
        } finally {
            manager.unloadPlugins();
        }
    }
}
