package dev.gatekit.app.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.plugins.PluginJars;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.support.TestInfrastructure;
import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.plugin.discord.fake.FakeDiscord;
import dev.gatekit.plugin.discord.fake.InteractionSigner;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Postgres out of reach while the server runs: every request is a 503 with Retry-After and the
 * one JSON error, the outage is logged once (by requests and background loops alike), nothing
 * counted or accepted is lost, and the server answers as before once Postgres is back.
 * The database is this test's own, since connections to it are cut off (the shared server stays up).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DatabaseOutageTest {

    static final String DATABASE = TestInfrastructure.createDatabase("outage");
    static final Receiver RECEIVER = new Receiver();
    static final FakeDiscord DISCORD = FakeDiscord.start();
    // Every background loop runs often, so each meets the outage several times over.
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "database.url=postgresql://postgres@" + TestInfrastructure.POSTGRES_HOST + "/" + DATABASE,
            "plugins.directory=" + PluginJars.folderWith("gatekit.test.webhookPluginJar", "gatekit.test.discordPluginJar"),
            "plugins.pollIntervalMillis=200",
            "usage.flushIntervalMillis=200", "queue.sweepIntervalMillis=300", "events.sweepIntervalMillis=300",
            "events.staleAfterSeconds=1", "events.allowPrivateEndpoints=true");
    static Api api;
    static String admin;
    static String slug;
    static String key;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Messaging.awaitPlugin(api, admin);
        slug = api.createProject(admin, "Outage");
        key = api.createKey(admin, slug, "messages:send", "messages:read", "keys:read", "projects:read");
        Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url("/out"));
        Reply endpoint = api.post("/api/v1/projects/" + slug + "/events/endpoints", admin,
                Map.of("url", RECEIVER.url("/events"), "kinds", List.of("message.delivered")));
        assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
    }

    @AfterAll
    static void tearDown() {
        RECEIVER.close();
        DISCORD.close();
    }

    @BeforeEach
    void captureLog() {
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void restore() {
        TestInfrastructure.allowConnections(DATABASE, true);
        // The next test starts with no outage going on, so it sees only its own.
        Poll.until(Duration.ofSeconds(30), () -> api.get(project() + "/messages", key).status() == 200
                && outageLines(Level.WARN).size() == outageLines(Level.INFO).size());
        root().detachAppender(log);
        log.stop();
    }

    @Test
    void everyRequestIsA503WithRetryAfterAndTheOutageIsLoggedOnce() {
        assertThat(api.get(project() + "/messages", key).status()).isEqualTo(200);

        TestInfrastructure.allowConnections(DATABASE, false);

        List<Reply> replies = List.of(
                api.get(project() + "/messages", key),
                api.get(project() + "/keys", key),
                api.get(project() + "/usage", key),
                api.post(project() + "/messages/send", key, Map.of("platform", "webhook", "target", Map.of("type", "channel", "id", "ops"),
                        "text", "while Postgres is away")),
                api.get(project() + "/messages", key),
                api.get(project() + "/messages", admin));
        assertThat(replies).allSatisfy(DatabaseOutageTest::assertUnavailable);
        assertThat(outageLines(Level.WARN)).hasSize(1);
        assertThat(lines()).noneMatch(e -> e.getLevel() == Level.ERROR || e.getThrowableProxy() != null);

        TestInfrastructure.allowConnections(DATABASE, true);

        // Back to 200 at once; the end is logged at the first connection after a quiet spell.
        Poll.until(Duration.ofSeconds(30), () -> api.get(project() + "/messages", key).status() == 200
                && outageLines(Level.INFO).size() == 1);
        assertThat(outageLines(Level.WARN)).hasSize(1);

        // A second outage is a second line.
        TestInfrastructure.allowConnections(DATABASE, false);
        assertThat(api.get(project() + "/messages", key).status()).isEqualTo(503);
        assertThat(outageLines(Level.WARN)).hasSize(2);
    }

    /**
     * Seconds of outage with deliveries in flight, sends refused, requests counted and every
     * background loop (usage flush, queue and event sweeps, delivery, event senders) meeting it:
     * one line when it begins, one when it ends, nothing else above INFO, no stack trace; and
     * afterwards every message accepted before it is delivered and every count is there.
     */
    @Test
    void backgroundLoopsWaitOutAnOutageQuietlyAndLoseNothing() {
        // A key of this test's own: its requests are counted from zero.
        Reply created = api.createKeyReply(admin, slug, "messages:send", "messages:read");
        String sender = created.json().get("key").asText();
        String senderId = created.json().get("id").asText();
        String text = "before the outage " + UUID.randomUUID();
        RECEIVER.server.setReplyDelay(Duration.ofMillis(300));
        int accepted = 20;
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < accepted; i++) {
            jobs.add(Messaging.sendText(api, sender, slug, text + " #" + i));
        }
        AtomicInteger requestsByKey = new AtomicInteger(accepted);

        TestInfrastructure.allowConnections(DATABASE, false);
        Instant outageEnds = Instant.now().plusSeconds(8);
        Poll.until(Duration.ofSeconds(30), () -> {
            assertUnavailable(api.post(project() + "/messages/send", sender, Map.of("platform", "webhook",
                    "target", Map.of("type", "user", "id", "u"), "text", "while Postgres is away")));
            assertUnavailable(api.get(project() + "/messages", sender));
            requestsByKey.addAndGet(2);
            return Instant.now().isAfter(outageEnds);
        });
        TestInfrastructure.allowConnections(DATABASE, true);
        RECEIVER.server.setReplyDelay(Duration.ZERO);

        // Within half the 60 s lease: outcomes reached during the outage were kept and recorded after it,
        // not left to leases running out (which would also send those messages a second time).
        for (String job : jobs) {
            JsonNode status = Messaging.awaitFinal(api, admin, slug, job, Duration.ofSeconds(30));
            assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("delivered");
        }
        Poll.until(Duration.ofSeconds(30), () -> outageLines(Level.INFO).size() == 1);

        List<String> delivered = RECEIVER.bodies("/out").stream().map(b -> b.at("/content/text").asText()).toList();
        for (int i = 0; i < accepted; i++) {
            assertThat(delivered).containsOnlyOnce(text + " #" + i);
        }
        // Each delivery's event reaches the project's endpoint too, recorded with the outcome it reports.
        Poll.until(Duration.ofSeconds(30), () -> RECEIVER.bodies("/events").stream().map(b -> b.at("/data/jobId").asText())
                .collect(Collectors.toSet()).containsAll(jobs));
        Poll.until(Duration.ofSeconds(30), () -> {
            JsonNode figures = keyFigures(senderId);
            return figures != null && figures.get("accepted").asLong() == accepted && figures.get("delivered").asLong() == accepted
                    && figures.get("requests").asLong() == requestsByKey.get();
        });

        assertThat(outageLines(Level.WARN)).hasSize(1);
        assertThat(outageLines(Level.INFO)).hasSize(1);
        assertThat(lines()).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .as("lines above INFO besides the outage's")
                .allMatch(e -> e.getLoggerName().equals(DatabaseOutage.class.getName()));
        assertThat(lines()).noneMatch(e -> e.getThrowableProxy() != null);
    }

    /**
     * Discord sends a gateway event once: one that arrives while Postgres is away waits in memory
     * and is stored when it is back, with no stack trace in the plugin's log or the host's.
     */
    @Test
    void aGatewayEventThatArrivesDuringTheOutageIsStoredAfterIt() {
        FakeDiscord.Bot bot = DISCORD.newBot();
        Reply configured = api.post(project() + "/platforms", admin, Map.of("platform", "discord", "name", "bot",
                "credentials", Map.of("botToken", bot.token(), "applicationPublicKey", new InteractionSigner().publicKeyHex()),
                "config", Map.of("apiBaseUrl", DISCORD.baseUrl())));
        assertThat(configured.status()).as(configured.toString()).isEqualTo(201);
        DISCORD.gateway().awaitSession(bot.token(), Duration.ofSeconds(30));

        TestInfrastructure.allowConnections(DATABASE, false);
        String id = FakeDiscord.snowflake();
        DISCORD.gateway().dispatch(bot.token(), "MESSAGE_CREATE", FakeDiscord.message(id, bot.channelId(), bot.guildId(),
                FakeDiscord.user("80351110224678912", "ada", false), "while Postgres is away"));
        // Nothing outside tells that the event reached GateKit: give the local gateway a few seconds.
        Instant outageEnds = Instant.now().plusSeconds(3);
        Poll.until(Duration.ofSeconds(30), () -> Instant.now().isAfter(outageEnds) && outageLines(Level.WARN).size() == 1);
        TestInfrastructure.allowConnections(DATABASE, true);

        Poll.until(Duration.ofSeconds(30), () -> {
            Reply inbound = api.get(project() + "/messages?direction=inbound", admin);
            return inbound.status() == 200 && inbound.text().contains("message:" + id);
        });
        assertThat(lines()).filteredOn(e -> e.getLoggerName().endsWith("ConnectionEvents"))
                .extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                        "Stored 1 events from held platform connections that waited for Postgres");
        assertThat(lines()).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .allMatch(e -> e.getLoggerName().equals(DatabaseOutage.class.getName()));
        assertThat(lines()).noneMatch(e -> e.getThrowableProxy() != null);
    }

    private static void assertUnavailable(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo(Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.errorCode()).isEqualTo("database_unavailable");
        assertThat(reply.json().get("statusCode").asInt()).isEqualTo(503);
    }

    /** The key's own usage figures, read with the admin key so that reading them counts no request of the key's. */
    private static JsonNode keyFigures(String keyId) {
        Reply reply = api.get(project() + "/usage?groupBy=key", admin);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        for (JsonNode group : reply.json().get("groups")) {
            if (keyId.equals(group.get("key").asText())) {
                return group.get("figures");
            }
        }
        return null;
    }

    /** What was logged so far; the appender adds under its own lock, from the server's threads. */
    private List<ILoggingEvent> lines() {
        synchronized (log) {
            return new ArrayList<>(log.list);
        }
    }

    private List<ILoggingEvent> outageLines(Level level) {
        return lines().stream().filter(e -> e.getLoggerName().equals(DatabaseOutage.class.getName()) && e.getLevel() == level).toList();
    }

    private static String project() {
        return "/api/v1/projects/" + slug;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
