package dev.gatekit.app.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.support.WorkerProcess;
import dev.gatekit.plugin.testkit.FakeResponse;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The never-lose guarantee with real worker processes: the server here only accepts (no workers
 * of its own); delivery happens in separate {@code worker} processes, one of which is killed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WorkerProcessGuaranteeTest {

    static final String PREFIX = "gatekit-workers-" + UUID.randomUUID() + ":";
    static final Path PLUGINS = Messaging.pluginsWithWebhook();
    static final int LEASE_SECONDS = 3;
    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "redis.keyPrefix=" + PREFIX, "plugins.directory=" + PLUGINS, "plugins.pollIntervalMillis=200",
            "queue.workers=0", "queue.leaseSeconds=" + LEASE_SECONDS, "queue.sweepIntervalMillis=500", "queue.instanceSilenceSeconds=3");
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

    private static List<String> sendMany(String slug, int count) {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var reply = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                    Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", "m-" + i));
            assertThat(reply.status()).isEqualTo(202);
            jobs.add(reply.json().get("jobId").asText());
        }
        return jobs;
    }

    private static void awaitAllDelivered(String slug, List<String> jobs, Duration deadline) {
        Poll.until(deadline, () -> api.get("/api/v1/projects/" + slug + "/messages/queue/metrics", admin).json()
                .get("completed").asLong() == jobs.size());
        for (String job : jobs) {
            assertThat(Messaging.status(api, admin, slug, job).get("state").asText()).isEqualTo("delivered");
        }
    }

    private static Set<String> deliveredTexts(String path) {
        return RECEIVER.bodies(path).stream().map(b -> b.at("/content/text").asText()).collect(Collectors.toSet());
    }

    @Test
    void aWorkerKilledMidSendLosesNothing() throws Exception {
        String path = "/crash-" + UUID.randomUUID();
        RECEIVER.server.stub(path, FakeResponse.ok().withDelay(Duration.ofMillis(400)));
        String slug = api.createProject(admin, "Crash");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        int count = 40;

        List<String> jobs;
        try (WorkerProcess doomed = WorkerProcess.start("doomed", PREFIX, PLUGINS, LEASE_SECONDS)) {
            jobs = sendMany(slug, count);
            Poll.until(Duration.ofSeconds(60), () -> RECEIVER.requests(path).size() >= 5);
            doomed.kill();
        }
        int arrivedBeforeKill = RECEIVER.requests(path).size();
        assertThat(arrivedBeforeKill).isLessThan(count);

        try (WorkerProcess survivor = WorkerProcess.start("survivor", PREFIX, PLUGINS, LEASE_SECONDS)) {
            awaitAllDelivered(slug, jobs, Duration.ofSeconds(120));
        }

        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            expected.add("m-" + i);
        }
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(deliveredTexts(path));
        System.out.printf("worker kill: %d accepted, %d arrived before the kill, %d requests in all, %d missing%n",
                count, arrivedBeforeKill, RECEIVER.requests(path).size(), missing.size());
        assertThat(missing).as("messages lost").isEmpty();
    }

    @Test
    void twoWorkerProcessesOnOneQueueDeliverEachMessageOnce() throws Exception {
        String path = "/pair-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Pair");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        int count = 60;

        try (WorkerProcess first = WorkerProcess.start("first", PREFIX, PLUGINS, 30);
             WorkerProcess second = WorkerProcess.start("second", PREFIX, PLUGINS, 30)) {
            List<String> jobs = sendMany(slug, count);
            awaitAllDelivered(slug, jobs, Duration.ofSeconds(120));
        }

        List<JsonNode> bodies = RECEIVER.bodies(path);
        List<String> ids = bodies.stream().map(b -> b.get("messageId").asText()).toList();
        assertThat(ids).hasSize(count).doesNotHaveDuplicates();
        assertThat(deliveredTexts(path)).hasSize(count);
    }
}
