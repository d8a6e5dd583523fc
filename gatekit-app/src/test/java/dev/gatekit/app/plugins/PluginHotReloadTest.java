package dev.gatekit.app.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real webhook plugin jar dropped into, replaced in and removed from a running server's plugins directory. */
@ExtendWith(DropwizardExtensionsSupport.class)
class PluginHotReloadTest {

    static final Path PLUGINS = tempDirectory("gatekit-plugins-");
    static final Path SCRATCH = tempDirectory("gatekit-plugin-variants-");
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            // staysTrueFor asks as fast as the server answers: no rate limit may cut it short.
            "plugins.directory=" + PLUGINS, "plugins.pollIntervalMillis=200", "rateLimit.max=1000000");
    static final Duration DEADLINE = Duration.ofSeconds(20);

    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
    }

    @AfterEach
    void emptyThePluginsDirectory() throws IOException {
        try (Stream<Path> files = Files.list(PLUGINS)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        api.adminTask("rescan-plugins", "");
        assertThat(supported()).isEmpty();
    }

    @Test
    void aJarAddedReplacedAndRemovedIsLoadedReloadedAndUnloadedWhileRequestsKeepBeingServed() throws Exception {
        assertThat(supported()).isEmpty();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread traffic = new Thread(() -> {
            while (running.get()) {
                try {
                    Reply health = api.get("/api/v1/health", null);
                    Reply supported = api.get("/api/v1/platforms/supported", admin);
                    if (health.status() != 200 || supported.status() != 200) {
                        failures.add(health + " / " + supported);
                    }
                    served.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }
        }, "traffic");
        traffic.start();
        try {
            Path jar = PLUGINS.resolve("webhook-plugin.jar");
            Files.copy(PluginJars.webhookJar(), jar);
            Poll.until(DEADLINE, () -> platform("webhook").isPresent());
            JsonNode webhook = platform("webhook").orElseThrow();
            assertThat(webhook.get("pluginId").asText()).isEqualTo("webhook");
            assertThat(webhook.get("pluginVersion").asText()).isEqualTo("0.1.0-SNAPSHOT");
            assertThat(webhook.get("version").asText()).isEqualTo("0.1.0-SNAPSHOT");
            assertThat(webhook.get("credentialFields").get(0).get("name").asText()).isEqualTo("signingSecret");
            assertThat(webhook.get("credentialFields").get(0).get("secret").asBoolean()).isTrue();
            assertThat(adminHealthChecks().has("plugin-webhook")).isTrue();
            int servedBeforeReplace = served.get();

            Path newer = PluginJars.webhookVariant(SCRATCH.resolve("webhook-newer.jar"), Map.of("Plugin-Version", "0.2.0"), "0.2.0");
            Files.copy(newer, jar, StandardCopyOption.REPLACE_EXISTING);
            Poll.until(DEADLINE, () -> platform("webhook").map(p -> p.get("pluginVersion").asText().equals("0.2.0")).orElse(false));
            assertThat(platform("webhook").orElseThrow().get("version").asText()).isEqualTo("0.2.0");
            JsonNode listed = Api.JSON.readTree(api.adminTask("plugins", "")).get("plugins");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("version").asText()).isEqualTo("0.2.0");
            assertThat(listed.get(0).get("state").asText()).isEqualTo("STARTED");

            Files.delete(jar);
            Poll.until(DEADLINE, () -> supported().isEmpty());
            Poll.until(DEADLINE, () -> !adminHealthChecks().has("plugin-webhook"));
            Poll.until(DEADLINE, () -> served.get() > servedBeforeReplace + 5);
        } finally {
            running.set(false);
            traffic.join(10_000);
        }
        assertThat(failures).isEmpty();
        assertThat(served.get()).isGreaterThan(10);
    }

    @Test
    void aSecondPluginClaimingTheSamePlatformIsRefusedAndTheFirstKeepsServing() throws Exception {
        Files.copy(PluginJars.webhookJar(), PLUGINS.resolve("a-webhook.jar"));
        Poll.until(DEADLINE, () -> platform("webhook").isPresent());

        PluginJars.webhookVariant(SCRATCH.resolve("impostor.jar"), Map.of("Plugin-Id", "webhook-impostor", "Plugin-Version", "6.6.6"), "6.6.6");
        Files.copy(SCRATCH.resolve("impostor.jar"), PLUGINS.resolve("b-impostor.jar"));
        Poll.until(DEADLINE, () -> pluginState("webhook-impostor").isPresent());

        assertThat(pluginState("webhook-impostor").orElseThrow()).isEqualTo("REFUSED");
        assertThat(pluginInfo("webhook-impostor").get("problem").asText())
                .contains("platform 'webhook' is already served by plugin 'webhook' 0.1.0-SNAPSHOT");
        assertThat(platform("webhook").orElseThrow().get("pluginId").asText()).isEqualTo("webhook");
        assertThat(pluginState("webhook")).contains("STARTED");
    }

    @Test
    void aPluginRequiringAnotherApiMajorVersionIsRefusedAndTheServerKeepsServing() throws Exception {
        PluginJars.webhookVariant(SCRATCH.resolve("future.jar"), Map.of("Plugin-Requires", ">=2.0.0 & <3.0.0"), null);
        Files.copy(SCRATCH.resolve("future.jar"), PLUGINS.resolve("future.jar"));
        Poll.until(DEADLINE, () -> pluginState("webhook").isPresent());

        assertThat(pluginState("webhook").orElseThrow()).isEqualTo("REFUSED");
        assertThat(pluginInfo("webhook").get("problem").asText()).contains("requires plugin API '>=2.0.0 & <3.0.0'");
        assertThat(supported()).isEmpty();
        assertThat(api.get("/api/v1/health", null).status()).isEqualTo(200);
    }

    @Test
    void adminTasksUnloadLoadAndReloadAPlugin() throws Exception {
        Path jar = Files.copy(PluginJars.webhookJar(), PLUGINS.resolve("webhook-plugin.jar"));
        Poll.until(DEADLINE, () -> platform("webhook").isPresent());

        assertThat(Api.JSON.readTree(api.adminTask("unload-plugin", "id=webhook")).get("unloaded").asBoolean()).isTrue();
        assertThat(supported()).isEmpty();
        assertThat(pluginState("webhook")).contains("UNLOADED");
        // The jar is still in the directory: the watcher (polling every 200 ms) leaves an operator's unload alone.
        staysTrueFor(Duration.ofMillis(1500), () -> supported().isEmpty());

        JsonNode loaded = Api.JSON.readTree(api.adminTask("load-plugin", "path=" + jar.toAbsolutePath()));
        assertThat(loaded.get("loaded").asBoolean()).isTrue();
        assertThat(loaded.get("platforms").get(0).asText()).isEqualTo("webhook");
        assertThat(platform("webhook")).isPresent();

        JsonNode reloaded = Api.JSON.readTree(api.adminTask("reload-plugin", "id=webhook"));
        assertThat(reloaded.get("loaded").asBoolean()).isTrue();
        assertThat(platform("webhook")).isPresent();

        JsonNode routes = api.get("/api/v1/platforms/webhook-routes", admin).json().get("routes");
        assertThat(routes).hasSize(1);
        assertThat(routes.get(0).get("paths").get(0).asText()).isEqualTo("/webhooks/webhook/{token}");
        assertThat(routes.get(0).get("paths").get(1).asText()).isEqualTo("/api/v1/webhooks/webhook/{token}");
        JsonNode health = api.get("/api/v1/platforms/health", admin).json();
        assertThat(health.get("platforms").get(0).get("status").asText()).isEqualTo("up");
    }

    @Test
    void discoveryNeedsACredential() {
        assertThat(api.get("/api/v1/platforms/supported", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/platforms/health", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/platforms/webhook-routes", null).status()).isEqualTo(401);
    }

    private static void staysTrueFor(Duration period, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            assertThat(condition.getAsBoolean()).as("condition held throughout %s", period).isTrue();
        }
    }

    private static List<JsonNode> supported() {
        Reply reply = api.get("/api/v1/platforms/supported", admin);
        assertThat(reply.status()).isEqualTo(200);
        return StreamSupport.stream(reply.json().spliterator(), false).toList();
    }

    private static Optional<JsonNode> platform(String id) {
        return supported().stream().filter(p -> p.get("id").asText().equals(id)).findFirst();
    }

    private static JsonNode pluginInfo(String id) {
        try {
            JsonNode plugins = Api.JSON.readTree(api.adminTask("plugins", "")).get("plugins");
            return StreamSupport.stream(plugins.spliterator(), false)
                    .filter(p -> id.equals(p.path("id").asText(null))).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> pluginState(String id) {
        return Optional.ofNullable(pluginInfo(id)).map(p -> p.get("state").asText());
    }

    private static JsonNode adminHealthChecks() {
        Reply reply = api.send(api.adminRequest("/healthcheck").GET());
        return reply.json();
    }

    private static Path tempDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
