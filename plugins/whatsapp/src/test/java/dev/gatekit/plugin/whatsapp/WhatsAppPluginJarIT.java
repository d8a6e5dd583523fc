package dev.gatekit.plugin.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.GateKitPluginApi;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.MessageTemplate;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.TemplateParameter;
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
class WhatsAppPluginJarIT {

    private static Path pluginJar() {
        return Path.of(System.getProperty("gatekit.plugin.jar"));
    }

    @Test
    void jarCarriesItsJsonLibraryAndTheIndexButNothingTheHostProvides() throws IOException {
        try (JarFile jar = new JarFile(pluginJar().toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("META-INF/extensions.idx", "dev/gatekit/plugin/whatsapp/WhatsAppPlatformProvider.class",
                    "com/fasterxml/jackson/jr/ob/JSON.class");
            assertThat(names).noneMatch(name -> name.startsWith("org/pf4j/") || name.startsWith("org/slf4j/")
                    || name.startsWith("dev/gatekit/plugin/api/") || name.startsWith("dev/gatekit/plugin/testkit/"));
            try (InputStream index = jar.getInputStream(jar.getEntry("META-INF/extensions.idx"))) {
                assertThat(new String(index.readAllBytes(), StandardCharsets.UTF_8)).contains(WhatsAppPlatformProvider.class.getName());
            }
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Id")).isEqualTo("whatsapp");
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Requires"))
                    .isEqualTo(">=" + GateKitPluginApi.VERSION + " & <2.0.0");
        }
    }

    @Test
    void theLoadedProviderSendsATemplate(@TempDir Path pluginsDir) throws Exception {
        Files.copy(pluginJar(), pluginsDir.resolve(pluginJar().getFileName()));
        PluginManager manager = new DefaultPluginManager(pluginsDir);
        manager.setSystemVersion(GateKitPluginApi.VERSION);
        try (FakePlatformServer server = FakePlatformServer.start()) {
            manager.loadPlugins();
            manager.startPlugins();
            assertThat(manager.getPlugin("whatsapp").getPluginState()).isEqualTo(PluginState.STARTED);
            PlatformProvider provider = manager.getExtensions(PlatformProvider.class, "whatsapp").get(0);
            assertThat(provider.getClass().getClassLoader()).isSameAs(manager.getPluginClassLoader("whatsapp"));
            server.stub(FakeGraphApi.MESSAGES, FakeGraphApi.sent("wamid.FROMJAR", "14155550123"));
            PlatformClient client = provider.openClient(FakeGraphApi.configuration(Map.of()), TestPlatformContext.forServer(server));
            try {
                DeliveryReceipt receipt = client.send(new OutboundMessage("msg-1", Target.user("+1 415 555 0123"),
                        MessageContent.template(MessageTemplate.of("hello_world", "en_US", TemplateParameter.text("Ada"))), null, Map.of()));
                assertThat(receipt.platformMessageIds()).containsExactly("wamid.FROMJAR");
                assertThat(FakeGraphApi.json(server.takeRequest(FakeGraphApi.WAIT))).containsEntry("type", "template");
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
}
