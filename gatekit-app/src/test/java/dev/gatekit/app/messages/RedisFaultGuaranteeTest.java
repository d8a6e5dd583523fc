package dev.gatekit.app.messages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.OwnRedis;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
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
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** Postgres is the record: Redis flushed, or gone for a while, loses no accepted message. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RedisFaultGuaranteeTest {

    static final OwnRedis REDIS = new OwnRedis();
    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "redis.url=" + REDIS.url(), "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200",
            "queue.workers=4", "queue.sweepIntervalMillis=500", "queue.instanceSilenceSeconds=3", "queue.leaseSeconds=5");
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
        REDIS.close();
    }

    private static List<String> sendMany(String slug, String label, int count) {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Reply reply = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                    Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "u"), "text", label + "-" + i));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
            jobs.add(reply.json().get("jobId").asText());
        }
        return jobs;
    }

    private static Set<String> missing(String path, String label, int count) {
        Set<String> delivered = RECEIVER.bodies(path).stream().map(b -> b.at("/content/text").asText()).collect(Collectors.toSet());
        Set<String> missing = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (!delivered.contains(label + "-" + i)) {
                missing.add(label + "-" + i);
            }
        }
        return missing;
    }

    private static void awaitCompleted(String slug, int count) {
        Poll.until(Duration.ofSeconds(90), () -> api.get("/api/v1/projects/" + slug + "/messages/queue/metrics", admin).json()
                .get("completed").asLong() == count);
    }

    @Test
    void aFlushAllWithMessagesQueuedLosesNoneAndKeepsThePause() {
        String path = "/flush-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Flush");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        api.adminTask("pause-delivery", "platform=webhook");
        int count = 25;
        sendMany(slug, "flush", count);
        assertThat(RECEIVER.requests(path)).isEmpty();

        Config config = new Config();
        config.useSingleServer().setAddress(REDIS.url());
        RedissonClient redis = Redisson.create(config);
        try {
            assertThat(redis.getKeys().count()).isPositive();
            redis.getKeys().flushall();
            assertThat(redis.getKeys().count()).isZero();

            // The pause is in Postgres: the sweeper writes it back before it puts the messages back,
            // so the dispatchers park every one of them instead of sending it.
            Poll.until(Duration.ofSeconds(30), () -> redis.getKeys().getKeysStreamByPattern("*queue:parked:webhook")
                    .mapToInt(key -> redis.getScoredSortedSet(key).size()).sum() == count);
            assertThat(api.get("/api/v1/projects/" + slug + "/messages/queue/metrics", admin).json().get("paused").asLong())
                    .isEqualTo(count);
            assertThat(RECEIVER.requests(path)).as("sent while paused").isEmpty();
        } finally {
            redis.shutdown();
        }
        api.adminTask("resume-delivery", "platform=webhook");

        awaitCompleted(slug, count);
        Set<String> lost = missing(path, "flush", count);
        System.out.printf("FLUSHALL: %d accepted, %d requests arrived, %d missing%n", count, RECEIVER.requests(path).size(), lost.size());
        assertThat(lost).as("messages lost").isEmpty();
    }

    @Test
    void sendsAreAcceptedWhileRedisIsDownAndDeliveredWhenItReturns() {
        String path = "/outage-" + UUID.randomUUID();
        String slug = api.createProject(admin, "Outage");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url(path));
        api.adminTask("resume-delivery", "");

        REDIS.stop();
        int count = 8;
        List<String> jobs = sendMany(slug, "outage", count);
        Reply health = api.get("/api/v1/health", null);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().at("/data/checks/redis/status").asText()).isEqualTo("down");
        assertThat(Messaging.status(api, admin, slug, jobs.get(0)).get("state").asText()).isEqualTo("queued");

        REDIS.start();

        awaitCompleted(slug, count);
        Set<String> lost = missing(path, "outage", count);
        System.out.printf("Redis outage: %d accepted while down, %d missing after it returned%n", count, lost.size());
        assertThat(lost).as("messages lost").isEmpty();
        Poll.until(Duration.ofSeconds(30), () -> api.get("/api/v1/health", null).status() == 200);
    }
}
