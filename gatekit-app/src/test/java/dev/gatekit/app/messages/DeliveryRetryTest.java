package dev.gatekit.app.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.core.queue.RetryPolicy;
import dev.gatekit.plugin.testkit.FakeResponse;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retries through the real webhook plugin against a receiver that fails on cue: each attempt is
 * readable with what the platform answered, and a wait the platform asked for uses up no attempt.
 * Three attempts and short backoffs here, so budgets run out within a test.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeliveryRetryTest {

    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200",
            "queue.maxAttempts=3", "queue.baseRetryDelayMillis=10", "queue.maxRetryDelaySeconds=1", "queue.sweepIntervalMillis=500");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Messaging.awaitPlugin(api, admin);
    }

    @AfterAll
    static void tearDown() {
        RECEIVER.close();
    }

    private static String send(String slug, String text) {
        return Messaging.sendText(api, admin, slug, text);
    }

    @Test
    void eachAttemptIsReadableWithThePlatformsAnswerAndTheLastErrorStaysAfterALateSuccess() {
        String path = "/late-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Late");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        RECEIVER.server.enqueue(path, FakeResponse.status(503)).enqueue(path, FakeResponse.status(503));

        String job = send(slug, "third time lucky");

        JsonNode target = Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(30)).get("targets").get(0);
        assertThat(target.get("state").asText()).isEqualTo("delivered");
        assertThat(target.get("attempts").asInt()).isEqualTo(3);
        assertThat(target.get("lastError").asText()).isEqualTo("endpoint answered HTTP 503");
        JsonNode attempts = target.get("deliveryAttempts");
        assertThat(attempts).hasSize(3);
        for (int i = 0; i < 2; i++) {
            assertThat(attempts.get(i).get("attempt").asInt()).isEqualTo(i + 1);
            assertThat(attempts.get(i).get("outcome").asText()).isEqualTo("retry");
            assertThat(attempts.get(i).get("platformStatus").asInt()).isEqualTo(503);
            assertThat(attempts.get(i).get("error").asText()).isEqualTo("endpoint answered HTTP 503");
            assertThat(attempts.get(i).hasNonNull("startedAt")).isTrue();
            assertThat(attempts.get(i).hasNonNull("finishedAt")).isTrue();
        }
        assertThat(attempts.get(2).get("outcome").asText()).isEqualTo("delivered");
        assertThat(attempts.get(2).has("error")).isFalse();

        JsonNode inHistory = api.get("/api/v1/projects/" + slug + "/messages/" + job, admin).json().get("targets").get(0);
        assertThat(inHistory.get("deliveryAttempts")).hasSize(3);
        assertThat(inHistory.get("deliveryAttempts").get(0).get("platformStatus").asInt()).isEqualTo(503);
        assertThat(inHistory.get("error").asText()).isEqualTo("endpoint answered HTTP 503");
    }

    @Test
    void aPermanentFailureRecordsThePlatformsAnswer() {
        String path = "/gone-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Gone");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        RECEIVER.server.enqueue(path, FakeResponse.status(410));

        JsonNode target = Messaging.awaitFinal(api, admin, slug, send(slug, "nobody home"), Duration.ofSeconds(30)).get("targets").get(0);

        assertThat(target.get("state").asText()).isEqualTo("failed");
        assertThat(target.get("reasonCode").asText()).isEqualTo("invalid_target");
        assertThat(target.get("deliveryAttempts")).hasSize(1);
        assertThat(target.get("deliveryAttempts").get(0).get("platformStatus").asInt()).isEqualTo(410);
        assertThat(target.get("deliveryAttempts").get(0).get("reasonCode").asText()).isEqualTo("invalid_target");
    }

    @Test
    void waitsThePlatformAskedForUseUpNoAttempt() {
        String path = "/throttled-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Throttled");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        // More rate-limit answers than the three attempts the budget has; then one plain 503.
        for (int i = 0; i < 4; i++) {
            RECEIVER.server.enqueue(path, FakeResponse.tooManyRequests(Duration.ZERO));
        }
        RECEIVER.server.enqueue(path, FakeResponse.status(429));
        RECEIVER.server.enqueue(path, FakeResponse.status(503));

        JsonNode target = Messaging.awaitFinal(api, admin, slug, send(slug, "patience"), Duration.ofSeconds(60)).get("targets").get(0);

        assertThat(target.get("state").asText()).isEqualTo("delivered");
        assertThat(target.get("attempts").asInt()).as("counted attempts: the 503 and the success").isEqualTo(2);
        JsonNode attempts = target.get("deliveryAttempts");
        assertThat(attempts).hasSize(7);
        for (int i = 0; i < 5; i++) {
            assertThat(attempts.get(i).get("reasonCode").asText()).isEqualTo("rate_limited");
            assertThat(attempts.get(i).get("platformStatus").asInt()).isEqualTo(429);
            assertThat(attempts.get(i).get("attempt").asInt()).isEqualTo(1);
        }
        assertThat(attempts.get(5).get("platformStatus").asInt()).isEqualTo(503);
        assertThat(attempts.get(6).get("outcome").asText()).isEqualTo("delivered");
        assertThat(attempts.get(6).get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void theDefaultBudgetOutlastsAnOutageOfAnHourAndAPlatformsDelayIsAMinimum() {
        RetryPolicy defaults = new GateKitConfiguration.QueueConfig().toSettings().retry();
        assertThat(defaults.shortestSpan()).isGreaterThan(Duration.ofHours(1));
        assertThat(new GateKitConfiguration.EventsConfig().toSettings().retry().shortestSpan()).isGreaterThan(Duration.ofHours(1));
        for (int i = 0; i < 100; i++) {
            assertThat(defaults.atLeast(Duration.ofSeconds(5))).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_500));
            assertThat(defaults.atLeast(Duration.ofMinutes(10))).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(10).plusSeconds(1));
        }
    }
}
