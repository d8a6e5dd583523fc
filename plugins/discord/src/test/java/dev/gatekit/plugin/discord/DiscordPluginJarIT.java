package dev.gatekit.plugin.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.GateKitPluginApi;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.discord.fake.FakeDiscord;
import dev.gatekit.plugin.discord.fake.Poll;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/** Loads the finished fat jar with PF4J, as the host does: JDA comes from the jar, and unloading leaves no thread of it behind. */
class DiscordPluginJarIT {

    private static Path pluginJar() {
        return Path.of(System.getProperty("gatekit.plugin.jar"));
    }

    @Test
    void jarCarriesJdaAndItsRuntimeButNothingTheHostProvides() throws IOException {
        try (JarFile jar = new JarFile(pluginJar().toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("META-INF/extensions.idx", "dev/gatekit/plugin/discord/DiscordPlatformProvider.class",
                    "net/dv8tion/jda/api/JDA.class", "okhttp3/OkHttpClient.class", "kotlin/Unit.class",
                    "com/neovisionaries/ws/client/WebSocket.class", "com/fasterxml/jackson/databind/ObjectMapper.class",
                    "gnu/trove/map/hash/TLongObjectHashMap.class");
            assertThat(names).noneMatch(name -> name.startsWith("org/pf4j/") || name.startsWith("org/slf4j/")
                    || name.startsWith("dev/gatekit/plugin/api/") || name.startsWith("dev/gatekit/plugin/testkit/")
                    || name.startsWith("club/minnced/opus/") || name.startsWith("com/google/crypto/tink/"));
            try (InputStream index = jar.getInputStream(jar.getEntry("META-INF/extensions.idx"))) {
                assertThat(new String(index.readAllBytes(), StandardCharsets.UTF_8)).contains(DiscordPlatformProvider.class.getName());
            }
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Id")).isEqualTo("discord");
            assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Requires")).startsWith(">=");
        }
    }

    @Test
    void theLoadedProviderSendsThroughItsBundledJdaAndUnloadsWithoutLeavingThreads(@TempDir Path pluginsDir) throws Exception {
        Files.copy(pluginJar(), pluginsDir.resolve(pluginJar().getFileName()));
        PluginManager manager = new DefaultPluginManager(pluginsDir);
        manager.setSystemVersion(GateKitPluginApi.VERSION);
        try (FakeDiscord discord = FakeDiscord.start()) {
            FakeDiscord.Bot bot = discord.newBot();
            manager.loadPlugins();
            manager.startPlugins();
            assertThat(manager.getPlugin("discord").getPluginState()).isEqualTo(PluginState.STARTED);
            PlatformProvider provider = manager.getExtensions(PlatformProvider.class, "discord").get(0);
            assertThat(provider.getClass().getClassLoader()).isSameAs(manager.getPluginClassLoader("discord"));
            PlatformClient client = provider.openClient(new PlatformConfiguration("cfg-1", "proj-1", Map.of("botToken", bot.token()),
                    Map.of("apiBaseUrl", discord.baseUrl()), false), TestPlatformContext.withoutServer());
            try {
                discord.gateway().awaitSession(bot.token(), Duration.ofSeconds(20));
                DeliveryReceipt receipt = client.send(new OutboundMessage("msg-1", Target.channel(bot.channelId()),
                        MessageContent.markdown("**from the jar**"), null, Map.of()));
                assertThat(receipt.platformMessageIds()).hasSize(1);
                assertThat(discord.calls(bot, "POST", "channels/" + bot.channelId() + "/messages").get(0).json().get("content").asText())
                        .isEqualTo("**from the jar**");
            } finally {
                client.close();
            }
        } finally {
            for (PluginWrapper plugin : List.copyOf(manager.getStartedPlugins())) {
                manager.stopPlugin(plugin.getPluginId());
            }
            manager.unloadPlugins();
        }
        // JDA's pools, its gateway's reader and writer, the login thread and OkHttp's dispatcher all end.
        Poll.until(Duration.ofSeconds(20), () -> sessionThreads().isEmpty(), "no JDA thread left: " + sessionThreads());
    }

    private static List<String> sessionThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("JDA") || name.contains("gatekit-discord") || name.contains("ReadingThread")
                        || name.contains("WritingThread") || name.startsWith("OkHttp Dispatch") || name.startsWith("OkHttp http"))
                .toList();
    }
}
