package dev.gatekit.app.messages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.plugin.testkit.FakeResponse;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A platform slower than the lease is not sent the message twice: the worker keeps its lease alive. */
@ExtendWith(DropwizardExtensionsSupport.class)
class LeaseRenewalTest {

    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200",
            "queue.workers=2", "queue.leaseSeconds=2", "queue.sweepIntervalMillis=200", "queue.instanceSilenceSeconds=3");

    @AfterAll
    static void tearDown() {
        RECEIVER.close();
    }

    @Test
    void aSendLongerThanTheLeaseIsMadeOnce() {
        Api api = TestApp.api(APP);
        String admin = api.mintAdminKey();
        Messaging.awaitPlugin(api, admin);
        String path = "/slow-" + UUID.randomUUID();
        RECEIVER.server.stub(path, FakeResponse.ok().withDelay(Duration.ofMillis(5000)));
        String slug = api.createProject(admin, "Slow");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));

        String job = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "slowly")).json().get("jobId").asText();

        assertThat(Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(30)).get("state").asText()).isEqualTo("delivered");
        assertThat(RECEIVER.requests(path)).hasSize(1);
        assertThat(Messaging.status(api, admin, slug, job).at("/targets/0/attempts").asInt()).isEqualTo(1);
    }
}
