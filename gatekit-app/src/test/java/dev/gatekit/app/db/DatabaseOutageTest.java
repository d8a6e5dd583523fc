package dev.gatekit.app.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.support.TestInfrastructure;
import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.errors.UnexpectedErrorMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Postgres out of reach while the server runs: every request is a 503 with Retry-After and the
 * one JSON error, the outage is logged once, and the server answers as before once Postgres is back.
 * The database is this test's own, since connections to it are cut off (the shared server stays up).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DatabaseOutageTest {

    static final String DATABASE = TestInfrastructure.createDatabase("outage");
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "database.url=postgresql://postgres@" + TestInfrastructure.POSTGRES_HOST + "/" + DATABASE);
    static Api api;
    static String admin;
    static String slug;
    static String key;

    private final ListAppender<ILoggingEvent> outageLog = new ListAppender<>();
    private final ListAppender<ILoggingEvent> errorLog = new ListAppender<>();

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        slug = api.createProject(admin, "Outage");
        key = api.createKey(admin, slug, "messages:send", "messages:read", "keys:read", "projects:read");
    }

    @BeforeEach
    void captureLogs() {
        attach(DatabaseOutage.class, outageLog);
        attach(UnexpectedErrorMapper.class, errorLog);
    }

    @AfterEach
    void restore() {
        TestInfrastructure.allowConnections(DATABASE, true);
        detach(DatabaseOutage.class, outageLog);
        detach(UnexpectedErrorMapper.class, errorLog);
    }

    @Test
    void everyRequestIsA503WithRetryAfterAndTheOutageIsLoggedOnce() {
        String project = "/api/v1/projects/" + slug;
        assertThat(api.get(project + "/messages", key).status()).isEqualTo(200);

        TestInfrastructure.allowConnections(DATABASE, false);

        List<Reply> replies = List.of(
                api.get(project + "/messages", key),
                api.get(project + "/keys", key),
                api.get(project + "/usage", key),
                api.post(project + "/messages/send", key, Map.of("platform", "webhook", "target", Map.of("type", "channel", "id", "ops"),
                        "text", "while Postgres is away")),
                api.get(project + "/messages", key),
                api.get(project + "/messages", admin));
        assertThat(replies).allSatisfy(reply -> {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
            assertThat(reply.header("Retry-After")).isEqualTo(Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            assertThat(reply.errorCode()).isEqualTo("database_unavailable");
            assertThat(reply.json().get("statusCode").asInt()).isEqualTo(503);
        });
        assertThat(outageLog.list).hasSize(1);
        assertThat(outageLog.list.get(0).getThrowableProxy()).isNull();
        assertThat(errorLog.list).isEmpty();

        TestInfrastructure.allowConnections(DATABASE, true);

        Poll.until(Duration.ofSeconds(30), () -> api.get(project + "/messages", key).status() == 200);
        assertThat(outageLog.list).extracting(ILoggingEvent::getFormattedMessage).last().asString().contains("reachable again");

        // A second outage is a second line.
        TestInfrastructure.allowConnections(DATABASE, false);
        assertThat(api.get(project + "/messages", key).status()).isEqualTo(503);
        assertThat(outageLog.list).filteredOn(e -> e.getLevel() == Level.ERROR).hasSize(2);
    }

    private static void attach(Class<?> type, ListAppender<ILoggingEvent> appender) {
        appender.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
    }

    private static void detach(Class<?> type, ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(type)).detachAppender(appender);
        appender.stop();
    }
}
