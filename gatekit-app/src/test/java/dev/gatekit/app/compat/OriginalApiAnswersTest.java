package dev.gatekit.app.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.plugins.PluginJars;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.FakeBotApi;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The answers a client of the original NestJS GateKit reads, ported from its own tests: the exact
 * auth messages, health's shape, the revoke, delete and roll answers, Telegram's {@code token},
 * one default project per tenant, a project's keys and counts, and the stricter key throttles.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OriginalApiAnswersTest {

    static final FakeBotApi BOT_API = new FakeBotApi();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + PluginJars.folderWith("gatekit.test.telegramPluginJar"), "plugins.pollIntervalMillis=200",
            "rateLimit.keyCreatePerMinute=5", "rateLimit.keyRollPerMinute=3");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        String reader = api.mintAdminKey();
        Poll.until(Duration.ofSeconds(30), () -> api.get("/api/v1/platforms/supported", reader).text().contains("\"telegram\""));
    }

    /** A key of each test's own, so the 5-a-minute key creation throttle counts only that test's keys. */
    @BeforeEach
    void newAdminKey() {
        admin = api.mintAdminKey();
    }

    @AfterAll
    static void tearDown() {
        BOT_API.close();
    }

    @Test
    void authFailuresCarryTheOriginalsExactMessagesWithTheReasonInTheDetails() {
        Reply unknown = api.get("/api/v1/projects", "gk_dev_" + "x".repeat(43));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("message").asText()).isEqualTo("Invalid API key");
        assertThat(unknown.json().at("/error/details/0/field").asText()).isEqualTo("X-API-Key");

        String slug = api.createProject(admin, "Auth");
        Reply created = api.createKeyReply(admin, slug, "projects:read");
        api.delete("/api/v1/projects/" + slug + "/keys/" + created.json().get("id").asText(), admin);
        Reply revoked = api.get("/api/v1/projects/" + slug, created.json().get("key").asText());
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().get("message").asText()).isEqualTo("Invalid API key");
        assertThat(revoked.json().at("/error/details/0/problem").asText()).isEqualTo("revoked");

        Reply forbidden = api.post("/api/v1/projects/" + slug + "/keys", api.createKey(admin, slug, "projects:read"),
                Map.of("name", "k", "scopes", List.of("projects:read")));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("message").asText()).isEqualTo("Insufficient permissions");
        assertThat(forbidden.json().at("/error/details/0/problem").asText()).contains("keys:manage");
    }

    @Test
    void healthHasTheOriginalsShape() {
        Reply health = api.get("/api/v1/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("success").asBoolean()).isTrue();
        assertThat(health.json().at("/data/status").asText()).isEqualTo("healthy");
        assertThat(health.json().at("/data/checks/database/status").asText()).isEqualTo("up");
    }

    @Test
    void revokeAnswersTheOriginalsMessageAndSaysWhenTheKeyWasRevokedAlready() {
        String slug = api.createProject(admin, "Revoke");
        String keyId = api.createKeyReply(admin, slug, "projects:read").json().get("id").asText();

        Reply first = api.delete("/api/v1/projects/" + slug + "/keys/" + keyId, admin);
        Reply again = api.delete("/api/v1/projects/" + slug + "/keys/" + keyId, admin);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("message").asText()).isEqualTo("API key revoked successfully");
        assertThat(first.json().get("status").asText()).isEqualTo("revoked");
        assertThat(again.json().get("message").asText()).isEqualTo("API key already revoked");
    }

    @Test
    void rollAnswers200WithTheNewKeyAndWhenTheOldOneStops() {
        String roller = api.mintAdminKey(); // its own roll budget
        String slug = api.createProject(admin, "Roll");
        String keyId = api.createKeyReply(admin, slug, "projects:read").json().get("id").asText();
        Instant before = Instant.now();

        Reply rolled = api.post("/api/v1/projects/" + slug + "/keys/" + keyId + "/roll", roller, Map.of("gracePeriodSeconds", 60));

        assertThat(rolled.status()).as(rolled.toString()).isEqualTo(200);
        assertThat(rolled.json().get("key").asText()).startsWith("gk_dev_");
        Instant oldKeyRevokedAt = Instant.parse(rolled.json().get("oldKeyRevokedAt").asText());
        assertThat(oldKeyRevokedAt).isBetween(before.plusSeconds(59), Instant.now().plusSeconds(61));
    }

    @Test
    void deletingAProjectAnswersTheDeletedProjectAndRemovingAPlatformTheOriginalsMessage() {
        String slug = api.createProject(admin, "Delete");
        Reply configured = api.post("/api/v1/projects/" + slug + "/platforms", admin, telegram(Map.of("botToken", botToken())));
        assertThat(configured.status()).as(configured.toString()).isEqualTo(201);

        Reply removed = api.delete("/api/v1/projects/" + slug + "/platforms/" + configured.json().get("id").asText(), admin);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("message").asText()).isEqualTo("Platform removed successfully");

        Reply deleted = api.delete("/api/v1/projects/" + slug, admin);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("slug").asText()).isEqualTo(slug);
        assertThat(deleted.json().get("name").asText()).startsWith("Delete ");
        assertThat(api.get("/api/v1/projects/" + slug, admin).status()).isEqualTo(404);
    }

    @Test
    void telegramTakesTheOriginalsTokenAsItsBotToken() {
        String slug = api.createProject(admin, "Token alias");
        String token = botToken();

        Reply configured = api.post("/api/v1/projects/" + slug + "/platforms", admin, telegram(Map.of("token", token)));

        assertThat(configured.status()).as(configured.toString()).isEqualTo(201);
        assertThat(configured.json().get("credentials").has("botToken")).isTrue();
        assertThat(configured.json().get("credentials").has("token")).isFalse();
        assertThat(BOT_API.calls(token, "getMe")).isNotEmpty();
        Reply both = api.post("/api/v1/projects/" + slug + "/platforms", admin, telegram(Map.of("token", token, "botToken", token)));
        assertThat(both.status()).isEqualTo(422);
        assertThat(both.json().at("/error/details/0/field").asText()).isEqualTo("credentials.token");
        JsonNode field = api.get("/api/v1/platforms/supported", admin).json();
        assertThat(field.toString()).contains("\"aliases\":[\"token\"]");
    }

    @Test
    void aDefaultProjectIsTheOnlyDefaultOfItsTenant() {
        String first = api.post("/api/v1/projects", admin, Map.of("name", "Default " + UUID.randomUUID(), "isDefault", true))
                .json().get("slug").asText();
        String second = api.post("/api/v1/projects", admin, Map.of("name", "Default " + UUID.randomUUID(), "isDefault", true))
                .json().get("slug").asText();

        assertThat(api.get("/api/v1/projects/" + first, admin).json().get("isDefault").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/projects/" + second, admin).json().get("isDefault").asBoolean()).isTrue();

        assertThat(api.patch("/api/v1/projects/" + first, admin, Map.of("isDefault", true)).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + first, admin).json().get("isDefault").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/projects/" + second, admin).json().get("isDefault").asBoolean()).isFalse();
    }

    @Test
    void projectDetailListsItsUsableKeysAndCounts() {
        String slug = api.createProject(admin, "Detail");
        String kept = api.createKeyReply(admin, slug, "projects:read").json().get("id").asText();
        String gone = api.createKeyReply(admin, slug, "projects:read").json().get("id").asText();
        api.delete("/api/v1/projects/" + slug + "/keys/" + gone, admin);
        api.post("/api/v1/projects/" + slug + "/platforms", admin, telegram(Map.of("botToken", botToken())));

        JsonNode detail = api.get("/api/v1/projects/" + slug, admin).json();

        assertThat(detail.get("slug").asText()).isEqualTo(slug);
        assertThat(detail.get("apiKeys")).hasSize(1);
        assertThat(detail.at("/apiKeys/0/id").asText()).isEqualTo(kept);
        assertThat(detail.at("/apiKeys/0/maskedKey").asText()).contains("...");
        assertThat(detail.at("/apiKeys/0/key").isMissingNode()).isTrue();
        assertThat(detail.at("/_count/apiKeys").asInt()).isEqualTo(1);
        assertThat(detail.at("/_count/platforms").asInt()).isEqualTo(1);
    }

    @Test
    void keyCreationAndRollHaveTheOriginalsStricterThrottles() {
        String creator = api.mintAdminKey();
        String roller = api.mintAdminKey();
        String slug = api.createProject(admin, "Throttle");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Reply created = api.post("/api/v1/projects/" + slug + "/keys", creator, Map.of("name", "k" + i, "scopes", List.of("projects:read")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            ids.add(created.json().get("id").asText());
        }
        Reply sixth = api.post("/api/v1/projects/" + slug + "/keys", creator, Map.of("name", "k6", "scopes", List.of("projects:read")));
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.header("Retry-After")).isNotBlank();

        for (int i = 0; i < 3; i++) {
            Reply rolled = api.post("/api/v1/projects/" + slug + "/keys/" + ids.get(i) + "/roll", roller, "");
            assertThat(rolled.status()).as(rolled.toString()).isEqualTo(200);
            assertThat(rolled.header("X-RateLimit-Limit")).isEqualTo("3");
        }
        Reply fourth = api.post("/api/v1/projects/" + slug + "/keys/" + ids.get(3) + "/roll", roller, "");
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.json().get("message").asText()).contains("3 per 60 s");
        // Other endpoints keep the API-wide budget.
        assertThat(api.get("/api/v1/projects/" + slug + "/keys", roller).status()).isEqualTo(200);
    }

    private static Map<String, Object> telegram(Map<String, String> credentials) {
        return Map.of("platform", "telegram", "credentials", credentials, "config", Map.of("apiBaseUrl", BOT_API.baseUrl()));
    }

    private static String botToken() {
        return (1_000_000L + (long) (Math.random() * 8_000_000_000L)) + ":AA" + UUID.randomUUID().toString().replace("-", "");
    }
}
