package dev.gatekit.app.messages;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.plugins.PluginJars;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.core.queue.DeliveryWorkers;
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
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Plugins that misbehave or change under their configurations: the real webhook plugin's jar with a
 * test provider from {@code fixtures} wrapped around it, one that throws unchecked exceptions and one
 * "newer version" that requires a setting older configurations lack.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PluginFaultTest {

    static final Path PLUGINS = tempDir("gatekit-plugin-fault-");
    static final Path SCRATCH = tempDir("gatekit-plugin-fault-jars-");
    static final String FIXTURES = "dev.gatekit.app.messages.fixtures.";
    static final Path FLAKY = PluginJars.webhookWithExtension(SCRATCH.resolve("flaky.jar"), Map.of("Plugin-Version", "1.0.0-flaky"),
            FIXTURES + "FlakyWebhookProvider", FIXTURES + "ThrowingClient");
    static final Path REGION = PluginJars.webhookWithExtension(SCRATCH.resolve("region.jar"), Map.of("Plugin-Version", "2.0.0"),
            FIXTURES + "RegionRequiringWebhookProvider");
    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + PLUGINS, "plugins.pollIntervalMillis=200", "queue.maxAttempts=5", "queue.baseRetryDelayMillis=10",
            "queue.maxRetryDelaySeconds=1", "queue.sweepIntervalMillis=500");
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static Api api;
    static String admin;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(DeliveryWorkers.class)).detachAppender(log);
    }

    @AfterAll
    static void tearDown() {
        RECEIVER.close();
    }

    /** Puts the jar in the plugins folder as the webhook plugin and waits until that version serves. */
    private static void install(Path jar, String version) throws IOException {
        Files.copy(jar, PLUGINS.resolve("webhook-plugin.jar"), StandardCopyOption.REPLACE_EXISTING);
        Poll.until(DEADLINE, () -> StreamSupport.stream(api.get("/api/v1/platforms/supported", admin).json().spliterator(), false)
                .anyMatch(p -> p.get("id").asText().equals("webhook") && p.get("pluginVersion").asText().equals(version)));
    }

    private static String send(String slug, String text) {
        return Messaging.sendText(api, admin, slug, text);
    }

    private static JsonNode webhookHealth() {
        for (JsonNode platform : api.get("/api/v1/platforms/health", admin).json().get("platforms")) {
            if (platform.get("platform").asText().equals("webhook")) {
                return platform;
            }
        }
        throw new AssertionError("no webhook in /platforms/health");
    }

    @Test
    void anUncheckedExceptionFromAPluginIsRetriedAndLoggedOnceWithItsStackTrace() throws IOException {
        install(FLAKY, "1.0.0-flaky");
        String path = "/flaky-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Flaky");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        Logger workers = (Logger) LoggerFactory.getLogger(DeliveryWorkers.class);
        log.start();
        workers.addAppender(log);

        String job = send(slug, "throw 3 then fine");

        JsonNode target = Messaging.awaitFinal(api, admin, slug, job, DEADLINE).get("targets").get(0);
        assertThat(target.get("state").asText()).as(target.toString()).isEqualTo("delivered");
        assertThat(target.get("attempts").asInt()).isEqualTo(4);
        assertThat(target.get("deliveryAttempts").get(0).get("outcome").asText()).isEqualTo("retry");
        assertThat(target.get("lastError").asText())
                .isEqualTo("plugin error: java.lang.IllegalArgumentException: fixture bug: cannot handle throw 3 then fine");
        assertThat(RECEIVER.bodies(path)).extracting(b -> b.at("/content/text").asText()).containsExactly("throw 3 then fine");
        List<ILoggingEvent> traces = log.list.stream().filter(e -> e.getThrowableProxy() != null).toList();
        assertThat(traces).as("stack traces logged").hasSize(1);
        assertThat(traces.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(traces.get(0).getFormattedMessage()).contains("Plugin 'webhook'");
        assertThat(traces.get(0).getThrowableProxy().getClassName()).isEqualTo(IllegalArgumentException.class.getName());
    }

    @Test
    void aNewerPluginRequiringASettingLeavesMessagesWaitingUntilTheConfigurationHasIt() throws IOException {
        install(FLAKY, "1.0.0-flaky");
        String path = "/region-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Region");
        String configuration = Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        assertThat(Messaging.awaitFinal(api, admin, slug, send(slug, "before the upgrade"), DEADLINE).get("state").asText())
                .isEqualTo("delivered");

        install(REGION, "2.0.0");
        String job = send(slug, "after the upgrade");

        Poll.until(DEADLINE, () -> Messaging.status(api, admin, slug, job).get("state").asText().equals("waiting"));
        JsonNode target = Messaging.status(api, admin, slug, job).get("targets").get(0);
        assertThat(target.get("reasonCode").asText()).isEqualTo("configuration_incomplete");
        assertThat(target.get("lastError").asText()).contains("config.region");
        JsonNode health = webhookHealth();
        assertThat(health.get("status").asText()).isEqualTo("degraded");
        assertThat(health.get("detail").asText()).contains("config.region");
        int incomplete = health.get("incompleteConfigurations").asInt();
        assertThat(incomplete).isPositive();
        assertThat(target.get("attempts").asInt()).as("waiting uses up no attempt").isZero();
        assertThat(target.get("deliveryAttempts")).isEmpty();

        Api.Reply updated = api.patch("/api/v1/projects/" + slug + "/platforms/" + configuration, admin,
                Map.of("config", Map.of("region", "eu")));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);

        JsonNode done = Messaging.awaitFinal(api, admin, slug, job, DEADLINE);
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("delivered");
        assertThat(RECEIVER.bodies(path)).extracting(b -> b.at("/content/text").asText())
                .containsExactly("before the upgrade", "after the upgrade");
        assertThat(webhookHealth().get("incompleteConfigurations").asInt()).isEqualTo(incomplete - 1);
    }

    @Test
    void aMessageWaitingForASettingOfADeletedConfigurationFailsInsteadOfWaitingForGood() throws IOException {
        install(FLAKY, "1.0.0-flaky");
        String slug = api.createProject(admin, "Deleted");
        String configuration = Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url("/deleted-" + UUID.randomUUID()));
        install(REGION, "2.0.0");
        String job = send(slug, "into the void");
        Poll.until(DEADLINE, () -> Messaging.status(api, admin, slug, job).get("state").asText().equals("waiting"));

        assertThat(api.delete("/api/v1/projects/" + slug + "/platforms/" + configuration, admin).status()).isLessThan(300);

        JsonNode target = Messaging.awaitFinal(api, admin, slug, job, DEADLINE).get("targets").get(0);
        assertThat(target.get("state").asText()).isEqualTo("failed");
        assertThat(target.get("reasonCode").asText()).isEqualTo("configuration_removed");
    }
}
