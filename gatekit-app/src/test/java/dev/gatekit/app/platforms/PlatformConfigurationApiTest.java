package dev.gatekit.app.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.plugins.PluginJars;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.support.TestInfrastructure;
import dev.gatekit.core.crypto.CredentialCipher;
import dev.gatekit.core.crypto.EncryptionKey;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Platform configurations per project, against the real webhook plugin. */
@ExtendWith(DropwizardExtensionsSupport.class)
class PlatformConfigurationApiTest {

    static final String SECRET = "s3cret-signing-key-for-tests-0042";
    static final String OLD_KEY = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    static final Path PLUGINS = pluginsWithWebhook();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + PLUGINS, "plugins.pollIntervalMillis=200",
            "publicBaseUrl=https://gatekit.example.test/", "encryption.previousKeys=" + OLD_KEY);

    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Poll.until(Duration.ofSeconds(20), () -> api.get("/api/v1/platforms/supported", admin).text().contains("\"webhook\""));
    }

    static Map<String, Object> webhookConfig(String secret, String url) {
        Map<String, Object> body = new HashMap<>();
        body.put("platform", "webhook");
        body.put("name", "Orders hook");
        body.put("credentials", Map.of("signingSecret", secret));
        body.put("config", Map.of("url", url));
        return body;
    }

    static String path(String slug) {
        return "/api/v1/projects/" + slug + "/platforms";
    }

    @Test
    void createReadUpdateDelete() {
        String slug = api.createProject(admin, "Platforms");
        Reply created = api.post(path(slug), admin, webhookConfig(SECRET, "https://hooks.example.test/in"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode json = created.json();
        String id = json.get("id").asText();
        assertThat(json.get("platform").asText()).isEqualTo("webhook");
        assertThat(json.get("name").asText()).isEqualTo("Orders hook");
        assertThat(json.get("available").asBoolean()).isTrue();
        assertThat(json.get("isActive").asBoolean()).isTrue();
        assertThat(json.get("testMode").asBoolean()).isFalse();
        assertThat(json.get("credentialsSet").asBoolean()).isTrue();
        assertThat(json.get("credentials").get("signingSecret").asText()).isEqualTo("••••0042");
        assertThat(json.get("config").get("url").asText()).isEqualTo("https://hooks.example.test/in");
        assertThat(json.get("effectiveLimits").get("messagesPerSecond").asDouble()).isEqualTo(20.0);
        assertThat(created.text()).doesNotContain(SECRET).doesNotContain(SECRET.substring(0, 12));

        for (String ref : List.of("webhook", id)) {
            Reply got = api.get(path(slug) + "/" + ref, admin);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.json().get("id").asText()).isEqualTo(id);
            assertThat(got.text()).doesNotContain(SECRET);
        }
        Reply listed = api.get(path(slug), admin);
        assertThat(listed.json()).hasSize(1);
        assertThat(listed.text()).doesNotContain(SECRET);

        Reply toggled = api.patch(path(slug) + "/webhook", admin, Map.of("isActive", false, "testMode", true, "name", "Paused"));
        assertThat(toggled.status()).as(toggled.toString()).isEqualTo(200);
        assertThat(toggled.json().get("isActive").asBoolean()).isFalse();
        assertThat(toggled.json().get("testMode").asBoolean()).isTrue();
        assertThat(toggled.json().get("name").asText()).isEqualTo("Paused");
        assertThat(toggled.json().get("credentials").get("signingSecret").asText()).isEqualTo("••••0042");

        String newSecret = "another-signing-secret-for-tests-9876";
        Reply rotated = api.patch(path(slug) + "/" + id, admin, Map.of("credentials", Map.of("signingSecret", newSecret),
                "settings", Map.of("timeoutSeconds", 30), "limits", Map.of("messagesPerSecond", 5)));
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(rotated.json().get("credentials").get("signingSecret").asText()).isEqualTo("••••9876");
        assertThat(rotated.json().get("config").get("url").asText()).isEqualTo("https://hooks.example.test/in");
        assertThat(rotated.json().get("config").get("timeoutSeconds").asText()).isEqualTo("30");
        assertThat(rotated.json().get("limits").get("messagesPerSecond").asDouble()).isEqualTo(5.0);
        assertThat(rotated.json().get("effectiveLimits").get("messagesPerSecond").asDouble()).isEqualTo(5.0);
        assertThat(rotated.json().get("isActive").asBoolean()).isFalse();
        assertThat(rotated.text()).doesNotContain(newSecret);

        Reply deleted = api.delete(path(slug) + "/webhook", admin);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(api.get(path(slug) + "/" + id, admin).status()).isEqualTo(404);
        assertThat(api.get(path(slug) + "/webhook", admin).status()).isEqualTo(404);
    }

    @Test
    void credentialsAreStoredEncryptedWithTheKeyId() throws SQLException {
        String slug = api.createProject(admin, "Sealed");
        String id = api.post(path(slug), admin, webhookConfig(SECRET, "https://hooks.example.test/in")).json().get("id").asText();

        Map<String, String> row = row(id);
        String keyId = EncryptionKey.fromSecret(TestApp.ENCRYPTION_KEY).id();
        assertThat(row.get("credentials_ciphertext")).startsWith("v1:" + keyId + ":")
                .doesNotContain(SECRET).doesNotContain("signingSecret").doesNotContain(SECRET.substring(SECRET.length() - 8));
        assertThat(row.get("settings")).contains("https://hooks.example.test/in").doesNotContain(SECRET);
        CredentialCipher cipher = new CredentialCipher(EncryptionKey.fromSecret(TestApp.ENCRYPTION_KEY), List.of());
        assertThat(cipher.decrypt(row.get("credentials_ciphertext"))).contains(SECRET);
    }

    @Test
    void rotateEncryptionKeyResealsCredentialsSealedWithAPreviousKey() throws SQLException {
        String slug = api.createProject(admin, "Rotation");
        String id = api.post(path(slug), admin, webhookConfig(SECRET, "https://hooks.example.test/in")).json().get("id").asText();
        CredentialCipher old = new CredentialCipher(EncryptionKey.fromSecret(OLD_KEY), List.of());
        execute("UPDATE platform_configurations SET credentials_ciphertext = ? WHERE id = ?::uuid",
                old.encrypt("{\"signingSecret\":\"" + SECRET + "\"}"), id);
        assertThat(api.get(path(slug) + "/" + id, admin).json().get("credentials").get("signingSecret").asText()).isEqualTo("••••0042");

        String output = api.adminTask("rotate-encryption-key", "");
        assertThat(output).matches("Re-encrypted [1-9][0-9]* of [0-9]+ platform configurations with key [0-9a-f]{8}");
        String currentKeyId = EncryptionKey.fromSecret(TestApp.ENCRYPTION_KEY).id();
        assertThat(row(id).get("credentials_ciphertext")).startsWith("v1:" + currentKeyId + ":");
        assertThat(api.get(path(slug) + "/" + id, admin).json().get("credentials").get("signingSecret").asText()).isEqualTo("••••0042");
        assertThat(api.adminTask("rotate-encryption-key", "")).startsWith("Re-encrypted 0 of ");
    }

    @Test
    void descriptorChecksNameTheField() {
        String slug = api.createProject(admin, "Checks");
        Reply missing = api.post(path(slug), admin, Map.of("platform", "webhook", "credentials", Map.of(),
                "config", Map.of("url", "https://hooks.example.test/in")));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(fields(missing)).contains("credentials.signingSecret");

        Map<String, Object> unknown = webhookConfig(SECRET, "https://hooks.example.test/in");
        unknown.put("credentials", Map.of("signingSecret", SECRET, "botToken", "x"));
        Reply unknownReply = api.post(path(slug), admin, unknown);
        assertThat(unknownReply.status()).isEqualTo(422);
        assertThat(fields(unknownReply)).containsExactly("credentials.botToken");
        assertThat(unknownReply.text()).doesNotContain(SECRET);

        Reply badUrl = api.post(path(slug), admin, webhookConfig(SECRET, "ftp://nope"));
        assertThat(badUrl.status()).isEqualTo(422);
        assertThat(fields(badUrl)).containsExactly("config.url");

        Reply live = api.post(path(slug), admin, webhookConfig("too-short", "https://hooks.example.test/in"));
        assertThat(live.status()).isEqualTo(422);
        assertThat(fields(live)).containsExactly("credentials.signingSecret");
        assertThat(live.text()).doesNotContain("too-short");

        Reply noPlugin = api.post(path(slug), admin, Map.of("platform", "carrier-pigeon", "credentials", Map.of()));
        assertThat(noPlugin.status()).isEqualTo(422);
        assertThat(fields(noPlugin)).containsExactly("platform");

        assertThat(api.get(path(slug), admin).json()).isEmpty();
    }

    @Test
    void anAmbiguousPlatformNameIsAConflictListingTheIds() {
        String slug = api.createProject(admin, "Two hooks");
        String first = api.post(path(slug), admin, webhookConfig(SECRET, "https://one.example.test/")).json().get("id").asText();
        String second = api.post(path(slug), admin, webhookConfig(SECRET, "https://two.example.test/")).json().get("id").asText();

        Reply ambiguous = api.get(path(slug) + "/webhook", admin);
        assertThat(ambiguous.status()).isEqualTo(409);
        assertThat(ambiguous.errorCode()).isEqualTo("ambiguous_platform");
        assertThat(ambiguous.json().get("message").asText()).contains(first).contains(second);
        assertThat(api.patch(path(slug) + "/webhook", admin, Map.of("isActive", false)).status()).isEqualTo(409);
        assertThat(api.get(path(slug) + "/" + second, admin).json().get("config").get("url").asText()).isEqualTo("https://two.example.test/");
    }

    @Test
    void webhookUrlIsBuiltFromThePublicBaseUrlAndCanBeRolled() {
        String slug = api.createProject(admin, "Inbound");
        api.post(path(slug), admin, webhookConfig(SECRET, "https://hooks.example.test/in"));

        JsonNode webhook = api.get(path(slug) + "/webhook/webhook", admin).json();
        String token = webhook.get("token").asText();
        assertThat(token).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(webhook.get("platform").asText()).isEqualTo("webhook");
        assertThat(webhook.get("webhookUrl").asText()).isEqualTo("https://gatekit.example.test/webhooks/webhook/" + token);

        assertThat(api.patch(path(slug) + "/webhook", admin, Map.of("rollWebhookToken", true)).status()).isEqualTo(200);
        String rolled = api.get(path(slug) + "/webhook/webhook", admin).json().get("token").asText();
        assertThat(rolled).isNotEqualTo(token);
    }

    @Test
    void scopesAndProjectsAreEnforced() {
        String slug = api.createProject(admin, "Guarded");
        String id = api.post(path(slug), admin, webhookConfig(SECRET, "https://hooks.example.test/in")).json().get("id").asText();
        String reader = api.createKey(admin, slug, "platforms:read");
        String writer = api.createKey(admin, slug, "platforms:write");
        String sender = api.createKey(admin, slug, "messages:send");
        String other = api.createKey(admin, api.createProject(admin, "Other"), "platforms:read", "platforms:write");

        assertThat(api.get(path(slug), null).status()).isEqualTo(401);
        assertThat(api.post(path(slug), null, webhookConfig(SECRET, "https://x.example.test/")).status()).isEqualTo(401);

        assertThat(api.get(path(slug), reader).status()).isEqualTo(200);
        assertThat(api.get(path(slug) + "/" + id + "/webhook", reader).status()).isEqualTo(200);
        assertThat(api.post(path(slug), reader, webhookConfig(SECRET, "https://x.example.test/")).status()).isEqualTo(403);
        assertThat(api.patch(path(slug) + "/" + id, reader, Map.of("isActive", false)).status()).isEqualTo(403);
        assertThat(api.delete(path(slug) + "/" + id, reader).status()).isEqualTo(403);

        assertThat(api.get(path(slug), sender).status()).isEqualTo(403);
        assertThat(api.get(path(slug) + "/" + id, sender).status()).isEqualTo(403);
        assertThat(api.get(path(slug), writer).status()).isEqualTo(403);
        assertThat(api.patch(path(slug) + "/" + id, writer, Map.of("testMode", true)).status()).isEqualTo(200);

        assertThat(api.get(path(slug), other).status()).isEqualTo(404);
        assertThat(api.get(path(slug) + "/" + id, other).status()).isEqualTo(404);
        assertThat(api.delete(path(slug) + "/" + id, other).status()).isEqualTo(404);
        assertThat(api.get(path(slug) + "/" + id, admin).status()).isEqualTo(200);
    }

    @Test
    void deletingTheProjectRemovesItsConfigurations() throws SQLException {
        String slug = api.createProject(admin, "Doomed");
        String id = api.post(path(slug), admin, webhookConfig(SECRET, "https://hooks.example.test/in")).json().get("id").asText();
        assertThat(api.delete("/api/v1/projects/" + slug, admin).status()).isEqualTo(200);
        assertThat(row(id)).isEmpty();
    }

    @Test
    void aConfigurationWhosePluginIsUnloadedIsListedAsUnavailable() {
        String slug = api.createProject(admin, "Orphaned");
        String id = api.post(path(slug), admin, webhookConfig(SECRET, "https://hooks.example.test/in")).json().get("id").asText();
        api.adminTask("unload-plugin", "id=webhook");
        try {
            JsonNode listed = api.get(path(slug), admin).json();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("available").asBoolean()).isFalse();
            assertThat(listed.get(0).get("credentials").get("signingSecret").asText()).isEqualTo("••••0042");
            assertThat(listed.toString()).doesNotContain(SECRET);

            assertThat(api.patch(path(slug) + "/" + id, admin, Map.of("isActive", false)).status()).isEqualTo(200);
            Reply cannotValidate = api.patch(path(slug) + "/" + id, admin, Map.of("credentials", Map.of("signingSecret", SECRET + "x")));
            assertThat(cannotValidate.status()).isEqualTo(422);
            assertThat(fields(cannotValidate)).containsExactly("platform");
            assertThat(api.post(path(slug), admin, webhookConfig(SECRET, "https://x.example.test/")).status()).isEqualTo(422);
        } finally {
            api.adminTask("rescan-plugins", "");
        }
        assertThat(api.get(path(slug) + "/" + id, admin).json().get("available").asBoolean()).isTrue();
    }

    private static List<String> fields(Reply reply) {
        return java.util.stream.StreamSupport.stream(reply.json().get("error").get("details").spliterator(), false)
                .map(d -> d.get("field").asText()).toList();
    }

    private static Map<String, String> row(String id) throws SQLException {
        try (Connection c = TestInfrastructure.connect();
             PreparedStatement s = c.prepareStatement(
                     "SELECT credentials_ciphertext, settings::text AS settings FROM platform_configurations WHERE id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Map.of();
                }
                return Map.of("credentials_ciphertext", rs.getString(1), "settings", rs.getString(2));
            }
        }
    }

    private static void execute(String sql, String... params) throws SQLException {
        try (Connection c = TestInfrastructure.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static Path pluginsWithWebhook() {
        try {
            Path dir = Files.createTempDirectory("gatekit-platforms-");
            Files.copy(PluginJars.webhookJar(), dir.resolve("webhook-plugin.jar"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
