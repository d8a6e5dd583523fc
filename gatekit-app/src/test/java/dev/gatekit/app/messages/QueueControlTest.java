package dev.gatekit.app.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operators' controls over delivery: pause and resume, priority order, messages waiting for
 * a plugin, drain. One worker thread, so the order of delivery is the order of the queue.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class QueueControlTest {

    static final String PREFIX = "gatekit-control-" + UUID.randomUUID() + ":";
    static final Path PLUGINS = Messaging.pluginsWithWebhook();
    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "redis.keyPrefix=" + PREFIX, "plugins.directory=" + PLUGINS, "plugins.pollIntervalMillis=200",
            "queue.workers=1", "queue.maxInFlightPerConfiguration=1", "queue.sweepIntervalMillis=500",
            "queue.instanceSilenceSeconds=3");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Messaging.awaitPlugin(api, admin);
    }

    @AfterEach
    void resumeEverything() {
        api.adminTask("resume-delivery", "");
        api.adminTask("drain", "resume=true");
    }

    @AfterAll
    static void tearDown() {
        RECEIVER.close();
    }

    private static String send(String slug, String text, String priority) {
        return api.post("/api/v1/projects/" + slug + "/messages/send", admin, Map.of("platform", "webhook",
                "target", Map.of("type", "user", "id", "u"), "text", text, "metadata", Map.of("priority", priority)))
                .json().get("jobId").asText();
    }

    private static JsonNode metrics(String slug) {
        return api.get("/api/v1/projects/" + slug + "/messages/queue/metrics", admin).json();
    }

    @Test
    void pausedDeliveryHoldsMessagesAndHighPriorityGoesFirstOnResume() {
        String path = "/order-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Order");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        api.adminTask("pause-delivery", "platform=webhook");

        String low1 = send(slug, "low-1", "low");
        String low2 = send(slug, "low-2", "low");
        String normal = send(slug, "normal-1", "normal");
        String high = send(slug, "high-1", "high");
        Poll.until(Duration.ofSeconds(10), () -> metrics(slug).get("paused").asLong() == 4);
        // A worker may hold one for an instant (claim, see the pause, park it); parked, it is queued.
        Poll.until(Duration.ofSeconds(10), () -> Messaging.status(api, admin, slug, high).get("state").asText().equals("queued"));
        assertThat(RECEIVER.requests(path)).isEmpty();

        api.adminTask("resume-delivery", "platform=webhook");

        for (String job : List.of(low1, low2, normal, high)) {
            assertThat(Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(30)).get("state").asText()).isEqualTo("delivered");
        }
        List<String> order = RECEIVER.bodies(path).stream().map(b -> b.at("/content/text").asText()).toList();
        assertThat(order).containsExactly("high-1", "normal-1", "low-1", "low-2");
    }

    @Test
    void aMessageForAPlatformWithoutItsPluginWaitsAndMovesOnWhenThePluginReturns() {
        String path = "/waiting-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Waiting");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        api.adminTask("unload-plugin", "id=webhook");
        Poll.until(Duration.ofSeconds(10), () -> !api.get("/api/v1/platforms/supported", admin).text().contains("\"webhook\""));

        String job = send(slug, "patient", "normal");

        assertThat(Messaging.status(api, admin, slug, job).get("state").asText()).isEqualTo("waiting");
        assertThat(metrics(slug).get("waitingForPlugin").asLong()).isEqualTo(1);
        api.adminTask("rescan-plugins", "");
        assertThat(Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(30)).get("state").asText()).isEqualTo("delivered");
        assertThat(RECEIVER.bodies(path)).extracting(b -> b.at("/content/text").asText()).containsExactly("patient");
    }

    @Test
    void aDrainedProcessTakesNoWorkUntilResumed() {
        String path = "/drain-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Drain");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));

        assertThat(api.adminTask("drain", "")).isEqualTo("drained");
        String job = send(slug, "after drain", "normal");
        Poll.until(Duration.ofSeconds(3), () -> Messaging.status(api, admin, slug, job).get("state").asText().equals("queued"));
        assertThat(RECEIVER.requests(path)).isEmpty();

        api.adminTask("drain", "resume=true");
        assertThat(Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(30)).get("state").asText()).isEqualTo("delivered");
    }
}
