package dev.gatekit.core.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatekit.core.plugins.fixtures.AlphaProvider;
import dev.gatekit.core.plugins.fixtures.ThrowingPlugin;
import dev.gatekit.plugin.api.PlatformProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class PluginHostTest {

    static final String REQUIRES = ">=1.0.0 & <2.0.0";

    @TempDir
    Path plugins;
    @TempDir
    Path scratch;

    PlatformRegistry registry;
    PluginHost host;
    List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        registry = new PlatformRegistry();
        registry.addListener(new PlatformListener() {
            @Override
            public void platformAdded(LoadedPlatform platform) {
                events.add("added " + platform.platformId() + " by " + platform.pluginId());
            }

            @Override
            public void platformRemoved(LoadedPlatform platform) {
                events.add("removed " + platform.platformId() + " by " + platform.pluginId());
            }
        });
        host = new PluginHost(plugins, registry, Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        host.unloadAll();
    }

    Path alphaJar(String name, String pluginId, String requires) {
        return TestPluginJars.plugin(plugins.resolve(name), TestPluginJars.manifest(pluginId, "1.2.3", requires), AlphaProvider.class);
    }

    @Test
    void loadsAPluginInItsOwnClassLoaderAndServesItsPlatform() {
        PluginHost.LoadResult result = host.load(alphaJar("alpha.jar", "alpha-plugin", REQUIRES));

        assertThat(result.loaded()).as(result.problem()).isTrue();
        assertThat(result.platforms()).containsExactly("alpha");
        LoadedPlatform alpha = registry.find("alpha").orElseThrow();
        assertThat(alpha.pluginId()).isEqualTo("alpha-plugin");
        assertThat(alpha.pluginVersion()).isEqualTo("1.2.3");
        // Plugin first for its own classes; the API from the host, so the cast works.
        assertThat(alpha.provider().getClass().getClassLoader()).isInstanceOf(HostFirstPluginClassLoader.class);
        assertThat(alpha.provider().getClass()).isNotSameAs(AlphaProvider.class);
        assertThat(alpha.provider()).isInstanceOf(PlatformProvider.class);
        assertThat(events).containsExactly("added alpha by alpha-plugin");
        assertThat(host.plugins()).singleElement().satisfies(info -> {
            assertThat(info.state()).isEqualTo("STARTED");
            assertThat(info.platforms()).containsExactly("alpha");
        });
    }

    @Test
    void aPluginRequiringAnIncompatibleApiIsRefused() {
        PluginHost.LoadResult result = host.load(alphaJar("alpha.jar", "alpha-plugin", ">=2.0.0 & <3.0.0"));

        assertThat(result.loaded()).isFalse();
        assertThat(result.problem()).contains("requires plugin API '>=2.0.0 & <3.0.0'").contains("this host provides 1.3.0");
        assertThat(registry.all()).isEmpty();
        assertThat(host.plugins()).singleElement().satisfies(info -> assertThat(info.state()).isEqualTo("REFUSED"));
        // Refused means unloaded: a compatible build of the same plugin id loads afterwards.
        assertThat(host.load(alphaJar("alpha-fixed.jar", "alpha-plugin", REQUIRES)).loaded()).isTrue();
    }

    @Test
    void aSecondPluginClaimingAPlatformIdIsRefusedAndTheFirstKeepsServing() {
        assertThat(host.load(alphaJar("a.jar", "alpha-one", REQUIRES)).loaded()).isTrue();

        PluginHost.LoadResult second = host.load(alphaJar("b.jar", "alpha-two", REQUIRES));

        assertThat(second.loaded()).isFalse();
        assertThat(second.problem()).contains("platform 'alpha' is already served by plugin 'alpha-one'");
        assertThat(registry.find("alpha").orElseThrow().pluginId()).isEqualTo("alpha-one");
        try (PlatformLease lease = registry.acquire("alpha")) {
            assertThat(lease.descriptor().id()).isEqualTo("alpha");
        }
        assertThat(events).containsExactly("added alpha by alpha-one");
    }

    @Test
    void aJarThatIsNotAPluginIsSkipped() throws Exception {
        Path notAPlugin = TestPluginJars.plugin(plugins.resolve("library.jar"), Map.of(), null, AlphaProvider.class);
        Path garbage = Files.writeString(plugins.resolve("garbage.jar"), "not a zip at all");

        assertThat(host.load(notAPlugin).loaded()).isFalse();
        assertThat(host.load(garbage).loaded()).isFalse();
        assertThat(host.plugins()).extracting(PluginInfo::state).containsOnly("FAILED");
        assertThat(host.load(alphaJar("alpha.jar", "alpha-plugin", REQUIRES)).loaded()).isTrue();
    }

    @Test
    void aPluginThatThrowsAtStartIsReportedAndSkipped() {
        Map<String, String> manifest = new HashMap<>(TestPluginJars.manifest("thrower", "0.0.1", REQUIRES));
        manifest.put("Plugin-Class", ThrowingPlugin.class.getName());
        Path jar = TestPluginJars.plugin(plugins.resolve("thrower.jar"), manifest, AlphaProvider.class, ThrowingPlugin.class);

        PluginHost.LoadResult result = host.load(jar);

        assertThat(result.loaded()).isFalse();
        assertThat(result.problem()).contains("failed to start").contains("boom at start");
        assertThat(registry.all()).isEmpty();
        assertThat(host.plugins()).singleElement().satisfies(info -> assertThat(info.state()).isEqualTo("FAILED"));
        assertThat(host.load(alphaJar("alpha.jar", "alpha-plugin", REQUIRES)).loaded()).isTrue();
    }

    @Test
    void unloadingWaitsForLeasesToDrain() throws Exception {
        host.load(alphaJar("alpha.jar", "alpha-plugin", REQUIRES));
        PlatformLease lease = registry.acquire("alpha");
        Thread unloader = new Thread(() -> host.unload("alpha-plugin"));
        unloader.start();

        until(() -> registry.find("alpha").isEmpty());
        assertThatThrownBy(() -> registry.acquire("alpha")).isInstanceOf(PlatformUnavailableException.class);
        assertThat(unloader.isAlive()).isTrue();
        assertThat(events).doesNotContain("removed alpha by alpha-plugin");
        // The call in flight still works.
        assertThat(lease.provider().descriptor().id()).isEqualTo("alpha");

        lease.close();
        unloader.join(10_000);
        assertThat(unloader.isAlive()).isFalse();
        assertThat(events).containsExactly("added alpha by alpha-plugin", "removed alpha by alpha-plugin");
        assertThat(host.plugins()).singleElement().satisfies(info -> assertThat(info.state()).isEqualTo("UNLOADED"));
    }

    @Test
    void theWatcherLoadsReloadsAndUnloadsJarsInTheDirectory() throws Exception {
        PluginDirectoryWatcher watcher = new PluginDirectoryWatcher(host, Duration.ofMillis(100));
        watcher.start();
        try {
            Path built = TestPluginJars.plugin(scratch.resolve("alpha.jar"), TestPluginJars.manifest("alpha-plugin", "1.0.0", REQUIRES),
                    AlphaProvider.class);
            Files.copy(built, plugins.resolve("alpha.jar"));
            until(() -> registry.find("alpha").isPresent());

            Path newer = TestPluginJars.plugin(scratch.resolve("alpha-2.jar"), TestPluginJars.manifest("alpha-plugin", "2.0.0", REQUIRES),
                    AlphaProvider.class);
            Files.copy(newer, plugins.resolve("alpha.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            until(() -> registry.find("alpha").map(p -> p.pluginVersion().equals("2.0.0")).orElse(false));

            Files.delete(plugins.resolve("alpha.jar"));
            until(() -> registry.find("alpha").isEmpty() && host.plugins().isEmpty());
        } finally {
            watcher.stop();
        }
    }

    @Test
    void anUpgradeByAddingTheNewJarThenRemovingTheOldLoadsTheNewJarWithoutARescan() throws Exception {
        PluginDirectoryWatcher watcher = new PluginDirectoryWatcher(host, Duration.ofMillis(100));
        Files.copy(TestPluginJars.plugin(scratch.resolve("old.jar"), TestPluginJars.manifest("alpha-plugin", "1.0.0", REQUIRES),
                AlphaProvider.class), plugins.resolve("alpha-1.0.0.jar"));
        watcher.start();
        try {
            assertThat(registry.find("alpha").orElseThrow().pluginVersion()).isEqualTo("1.0.0");
            Files.copy(TestPluginJars.plugin(scratch.resolve("new.jar"), TestPluginJars.manifest("alpha-plugin", "2.0.0", REQUIRES),
                    AlphaProvider.class), plugins.resolve("alpha-2.0.0.jar"));
            // Refused while the old one serves: the same plugin id.
            until(() -> host.plugins().stream().anyMatch(info -> info.path().endsWith("alpha-2.0.0.jar") && info.problem() != null));
            assertThat(registry.find("alpha").orElseThrow().pluginVersion()).isEqualTo("1.0.0");

            Files.delete(plugins.resolve("alpha-1.0.0.jar"));

            until(() -> registry.find("alpha").map(p -> p.pluginVersion().equals("2.0.0")).orElse(false));
            assertThat(host.plugins()).singleElement().satisfies(info -> {
                assertThat(info.state()).isEqualTo("STARTED");
                assertThat(info.path()).endsWith("alpha-2.0.0.jar");
            });
        } finally {
            watcher.stop();
        }
    }

    @Test
    void aJarAnOperatorUnloadedStaysUnloadedWhenTheFolderChanges() throws Exception {
        host.load(alphaJar("alpha.jar", "alpha-plugin", REQUIRES));
        host.sync(host.scanDirectory(), host.scanDirectory().keySet());
        host.unload("alpha-plugin");
        Files.writeString(plugins.resolve("unrelated.jar"), "not a plugin");

        host.sync(host.scanDirectory(), host.scanDirectory().keySet());

        assertThat(registry.find("alpha")).isEmpty();
        assertThat(host.plugins()).extracting(PluginInfo::state).contains("UNLOADED");
    }

    @Test
    void theStartLogNamesThePlatformsThePluginsAndTheFolderAndWarnsWhenNoPlatformLoaded() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(PluginHost.class);
        log.start();
        logger.addAppender(log);
        try {
            host.logLoaded();
            host.load(alphaJar("alpha.jar", "alpha-plugin", REQUIRES));
            host.logLoaded();
        } finally {
            logger.detachAppender(log);
        }

        List<ILoggingEvent> summaries = log.list.stream().filter(event -> !event.getFormattedMessage().startsWith("Loaded")).toList();
        assertThat(summaries).hasSize(2);
        assertThat(summaries.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(summaries.get(0).getFormattedMessage()).contains("No platform is loaded", plugins.toString(), "GATEKIT_PLUGINS_DIR");
        assertThat(summaries.get(1).getLevel()).isEqualTo(Level.INFO);
        assertThat(summaries.get(1).getFormattedMessage()).contains("[alpha]", "alpha-plugin 1.2.3", plugins.toString());
    }

    static void until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
