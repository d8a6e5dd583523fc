package dev.gatekit.plugin.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.plugin.api.GateKitPluginApi;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.TargetType;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/** Loads the finished fat jar with PF4J, as the host does. */
class SlackPluginJarIT {

    private static Path pluginJar() {
        return Path.of(System.getProperty("gatekit.plugin.jar"));
    }

    @Test
    void jarCarriesItsLibrariesAndTheIndexButNothingTheHostProvides() throws IOException {
        try (JarFile jar = new JarFile(pluginJar().toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("META-INF/extensions.idx",
                    "dev/gatekit/plugin/slack/SlackPlatformProvider.class",
                    "com/slack/api/Slack.class", "com/slack/api/model/block/LayoutBlock.class",
                    "okhttp3/OkHttpClient.class", "com/google/gson/Gson.class", "org/commonmark/parser/Parser.class",
                    "org/commonmark/parser/Parser.class");
            assertThat(names).noneMatch(name -> name.startsWith("org/pf4j/") || name.startsWith("org/slf4j/")
                    || name.startsWith("dev/gatekit/plugin/api/") || name.startsWith("dev/gatekit/plugin/testkit/")
                    || name.startsWith("io/javalin/") || name.startsWith("org/eclipse/jetty/"));
            try (InputStream index = jar.getInputStream(jar.getEntry("META-INF/extensions.idx"))) {
                assertThat(new String(index.readAllBytes(), StandardCharsets.UTF_8))
                        .contains(SlackPlatformProvider.class.getName());
            }
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Id")).isEqualTo("slack");
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Requires")).startsWith(">=");
        }
    }

    @Test
    void theLoadedProviderSendsThroughItsBundledClient(@TempDir Path pluginsDir) throws Exception {
        Files.copy(pluginJar(), pluginsDir.resolve(pluginJar().getFileName()));
        PluginManager manager = new DefaultPluginManager(pluginsDir);
        manager.setSystemVersion(GateKitPluginApi.VERSION);
        try (FakePlatformServer server = FakePlatformServer.start()) {
            manager.loadPlugins();
            manager.startPlugins();
            PlatformProvider provider = manager.getExtensions(PlatformProvider.class, "slack").get(0);
            server.stub(FakeSlackApi.path("chat.postMessage"), FakeSlackApi.posted("C0123", "1700000000.000100"));
            PlatformClient client = provider.openClient(new PlatformConfiguration("cfg-1", "proj-1",
                    Map.of("botToken", FakeSlackApi.TOKEN), Map.of(), false), TestPlatformContext.forServer(server));
            try {
                DeliveryReceipt receipt = client.send(new OutboundMessage("msg-1", new Target(TargetType.CHANNEL, "C0123"),
                        MessageContent.markdown("**from the jar**"), null, Map.of()));
                assertThat(receipt.platformMessageIds()).containsExactly("1700000000.000100");
                assertThat(FakeSlackApi.form(server.takeRequest(FakeSlackApi.WAIT))).containsEntry("text", "*from the jar*");
            } finally {
                client.close();
            }
        } finally {
            for (PluginWrapper plugin : List.copyOf(manager.getStartedPlugins())) {
                manager.stopPlugin(plugin.getPluginId());
            }
            manager.unloadPlugins();
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
            assertThat(manager.getPlugin("slack").getPluginState()).isEqualTo(PluginState.STARTED);
            List<PlatformProvider> providers = manager.getExtensions(PlatformProvider.class, "slack");
            assertThat(providers).singleElement().satisfies(provider -> {
                assertThat(provider.descriptor().id()).isEqualTo("slack");
                assertThat(provider.getClass().getClassLoader()).isSameAs(manager.getPluginClassLoader("slack"));
            });
        } finally {
            for (PluginWrapper plugin : List.copyOf(manager.getStartedPlugins())) {
                manager.stopPlugin(plugin.getPluginId());
            }
            manager.unloadPlugins();
        }
    }
}
