package dev.gatekit.app.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.support.TestInfrastructure;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class ApiKeyApiTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension();
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
    }

    @Test
    void aNewKeyIsShownOnceAndStoredOnlyAsAHash() throws Exception {
        String slug = api.createProject(admin, "Keys");
        Reply created = api.createKeyReply(admin, slug, "messages:send", "messages:read");
        String secret = created.json().get("key").asText();

        assertThat(secret).matches("gk_dev_[A-Za-z0-9_-]{43}");
        assertThat(created.json().get("maskedKey").asText()).isEqualTo(secret.substring(0, 12) + "..." + secret.substring(secret.length() - 4));
        assertThat(created.json().get("scopes")).extracting(JsonNode::asText).containsExactly("messages:read", "messages:send");

        Reply listed = api.get("/api/v1/projects/" + slug + "/keys", admin);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.text()).doesNotContain(secret).doesNotContain(secret.substring(12, 40));
        assertThat(listed.json()).hasSize(1);
        assertThat(listed.json().get(0).has("key")).isFalse();
        assertThat(listed.json().get(0).get("status").asText()).isEqualTo("active");

        try (Connection c = TestInfrastructure.connect();
             PreparedStatement s = c.prepareStatement("SELECT key_hash FROM api_keys WHERE id = ?::uuid")) {
            s.setString(1, created.json().get("id").asText());
            ResultSet rs = s.executeQuery();
            rs.next();
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes()));
            assertThat(rs.getString(1)).isEqualTo(sha256);
        }
    }

    @Test
    void theKeyPrefixCarriesItsEnvironment() {
        String slug = api.post("/api/v1/projects", admin, Map.of("name", "Prod " + UUID.randomUUID(), "environment", "production"))
                .json().get("slug").asText();

        assertThat(api.createKey(admin, slug, "projects:read")).startsWith("gk_prod_");
        String staging = api.post("/api/v1/projects/" + slug + "/keys", admin,
                Map.of("name", "s", "scopes", List.of("projects:read"), "environment", "staging")).json().get("key").asText();
        assertThat(staging).startsWith("gk_stg_");
    }

    @Test
    void unknownScopesAreNamed() {
        String slug = api.createProject(admin, "Scopes");

        Reply reply = api.post("/api/v1/projects/" + slug + "/keys", admin,
                Map.of("name", "k", "scopes", List.of("messages:send", "messages:delete")));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().at("/error/details/0/field").asText()).isEqualTo("scopes[1]");
        assertThat(reply.json().at("/error/details/0/problem").asText()).contains("messages:delete");
    }

    @Test
    void aKeyCannotGrantScopesItDoesNotHold() {
        String slug = api.createProject(admin, "Escalation");
        String manager = api.createKey(admin, slug, "keys:manage", "keys:read");

        Reply escalated = api.post("/api/v1/projects/" + slug + "/keys", manager,
                Map.of("name", "k", "scopes", List.of("projects:write")));
        assertThat(escalated.status()).isEqualTo(403);

        Reply allowed = api.post("/api/v1/projects/" + slug + "/keys", manager, Map.of("name", "k", "scopes", List.of("keys:read")));
        assertThat(allowed.status()).isEqualTo(201);
    }

    @Test
    void rollingCannotHandOutScopesTheCallerLacks() {
        String slug = api.createProject(admin, "Roll escalation");
        String manager = api.createKey(admin, slug, "keys:manage");
        String powerfulId = api.createKeyReply(admin, slug, "projects:write", "keys:manage").json().get("id").asText();

        Reply rolled = api.post("/api/v1/projects/" + slug + "/keys/" + powerfulId + "/roll", manager, "");

        assertThat(rolled.status()).isEqualTo(403);
        assertThat(rolled.text()).doesNotContain("\"key\"");
    }

    @Test
    void adminKeysAreListedAndRevokedOnTheAdminPort() {
        String key = api.mintAdminKey();
        assertThat(api.get("/api/v1/projects", key).status()).isEqualTo(200);
        String listed = api.adminTask("list-admin-keys", "");
        String line = listed.lines().filter(l -> l.contains(key.substring(0, 12) + "..." + key.substring(key.length() - 4)))
                .findFirst().orElseThrow();
        String id = line.split(" ")[0];

        assertThat(api.adminTask("revoke-admin-key", "id=" + id)).startsWith("revoked");

        assertThat(api.get("/api/v1/projects", key).status()).isEqualTo(401);
        assertThat(api.adminTask("list-admin-keys", "")).contains(id + " ").contains(" revoked ");
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnce() {
        String slug = api.createProject(admin, "Revoke");
        Reply created = api.createKeyReply(admin, slug, "projects:read");
        String secret = created.json().get("key").asText();
        assertThat(api.get("/api/v1/projects/" + slug, secret).status()).isEqualTo(200);

        Reply revoked = api.delete("/api/v1/projects/" + slug + "/keys/" + created.json().get("id").asText(), admin);

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
        Reply after = api.get("/api/v1/projects/" + slug, secret);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().at("/error/message").asText()).startsWith("Invalid API key");
    }

    @Test
    void rollingIssuesANewSecretAndRejectsTheOldOneAtOnce() {
        String slug = api.createProject(admin, "Roll");
        Reply created = api.createKeyReply(admin, slug, "projects:read", "keys:read");
        String old = created.json().get("key").asText();
        assertThat(api.get("/api/v1/projects/" + slug, old).status()).isEqualTo(200);

        Reply rolled = api.post("/api/v1/projects/" + slug + "/keys/" + created.json().get("id").asText() + "/roll", admin, "");

        assertThat(rolled.status()).isEqualTo(200);
        String fresh = rolled.json().get("key").asText();
        assertThat(fresh).isNotEqualTo(old).startsWith("gk_dev_");
        assertThat(rolled.json().get("scopes")).extracting(JsonNode::asText).containsExactly("keys:read", "projects:read");
        assertThat(api.get("/api/v1/projects/" + slug, old).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/projects/" + slug, fresh).status()).isEqualTo(200);
    }

    @Test
    void aGracePeriodKeepsTheOldSecretValidThatLong() {
        String slug = api.createProject(admin, "Grace");
        Reply created = api.createKeyReply(admin, slug, "projects:read");
        String old = created.json().get("key").asText();
        String keyId = created.json().get("id").asText();

        Instant rolledAt = Instant.now();
        Reply rolled = api.post("/api/v1/projects/" + slug + "/keys/" + keyId + "/roll", admin, Map.of("gracePeriodSeconds", 3));

        assertThat(rolled.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + slug, old).status()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(10), () -> api.get("/api/v1/projects/" + slug, old).status() == 401);
        assertThat(Duration.between(rolledAt, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(api.get("/api/v1/projects/" + slug, rolled.json().get("key").asText()).status()).isEqualTo(200);
    }

    @Test
    void aRevokedKeyCannotBeRolled() {
        String slug = api.createProject(admin, "Roll revoked");
        String keyId = api.createKeyReply(admin, slug, "projects:read").json().get("id").asText();
        api.delete("/api/v1/projects/" + slug + "/keys/" + keyId, admin);

        Reply rolled = api.post("/api/v1/projects/" + slug + "/keys/" + keyId + "/roll", admin, "");

        assertThat(rolled.status()).isEqualTo(409);
    }

    @Test
    void anExpiredKeyIsRejected() throws Exception {
        String slug = api.createProject(admin, "Expiry");
        Reply created = api.createKeyReply(admin, slug, "projects:read");
        try (Connection c = TestInfrastructure.connect();
             PreparedStatement s = c.prepareStatement("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = ?::uuid")) {
            s.setString(1, created.json().get("id").asText());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        Reply reply = api.get("/api/v1/projects/" + slug, created.json().get("key").asText());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().at("/error/message").asText()).isEqualTo("Invalid API key");
        assertThat(reply.json().at("/error/details/0/problem").asText()).isEqualTo("expired");
        JsonNode listed = api.get("/api/v1/projects/" + slug + "/keys", admin).json().get(0);
        assertThat(listed.get("status").asText()).isEqualTo("expired");
    }

    @Test
    void expiryCanBeSetAndMustLieAhead() {
        String slug = api.createProject(admin, "Expires");

        Reply inDays = api.post("/api/v1/projects/" + slug + "/keys", admin, Map.of("name", "k", "scopes", List.of("projects:read"), "expiresInDays", 7));
        assertThat(inDays.status()).isEqualTo(201);
        assertThat(Instant.parse(inDays.json().get("expiresAt").asText())).isBetween(Instant.now().plus(Duration.ofDays(6)), Instant.now().plus(Duration.ofDays(8)));
        assertThat(api.get("/api/v1/projects/" + slug, inDays.json().get("key").asText()).status()).isEqualTo(200);

        Reply past = api.post("/api/v1/projects/" + slug + "/keys", admin, Map.of("name", "k", "scopes", List.of("projects:read"), "expiresAt", "2020-01-01T00:00:00Z"));
        assertThat(past.status()).isEqualTo(422);
        assertThat(past.json().at("/error/details/0/field").asText()).isEqualTo("expiresAt");
    }

    @Test
    void lastUsedAtIsRecorded() {
        String slug = api.createProject(admin, "Last used");
        Reply created = api.createKeyReply(admin, slug, "projects:read", "keys:read");
        String secret = created.json().get("key").asText();
        assertThat(api.get("/api/v1/projects/" + slug + "/keys", admin).json().get(0).has("lastUsedAt")).isFalse();

        api.get("/api/v1/projects/" + slug, secret);

        JsonNode listed = api.get("/api/v1/projects/" + slug + "/keys", admin).json().get(0);
        assertThat(Instant.parse(listed.get("lastUsedAt").asText())).isAfter(Instant.now().minus(Duration.ofMinutes(1)));
    }

    @Test
    void keyEndpointsNeedTheirScopes() {
        String slug = api.createProject(admin, "Key scopes");
        String reader = api.createKey(admin, slug, "keys:read");
        String other = api.createKey(admin, slug, "projects:read");
        String keyId = api.createKeyReply(admin, slug, "projects:read").json().get("id").asText();
        String keys = "/api/v1/projects/" + slug + "/keys";

        assertThat(api.get(keys, other).status()).isEqualTo(403);
        assertThat(api.get(keys, reader).status()).isEqualTo(200);
        assertThat(api.post(keys, reader, Map.of("name", "k", "scopes", List.of("keys:read"))).status()).isEqualTo(403);
        assertThat(api.delete(keys + "/" + keyId, reader).status()).isEqualTo(403);
        assertThat(api.post(keys + "/" + keyId + "/roll", reader, "").status()).isEqualTo(403);
    }

    @Test
    void anotherProjectsKeysAreNotFound() {
        String mine = api.createProject(admin, "Mine");
        String theirs = api.createProject(admin, "Theirs");
        String manager = api.createKey(admin, mine, "keys:read", "keys:manage");
        String theirKeyId = api.createKeyReply(admin, theirs, "projects:read").json().get("id").asText();

        assertThat(api.get("/api/v1/projects/" + theirs + "/keys", manager).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/projects/" + theirs + "/keys", manager, Map.of("name", "k", "scopes", List.of("keys:read"))).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/projects/" + theirs + "/keys/" + theirKeyId, manager).status()).isEqualTo(404);
        // Their key id under my own project is not found either: ids are scoped to their project.
        assertThat(api.delete("/api/v1/projects/" + mine + "/keys/" + theirKeyId, manager).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/projects/" + mine + "/keys/" + theirKeyId + "/roll", manager, "").status()).isEqualTo(404);
    }

    @Test
    void keyEndpointsRefuseAnonymousCalls() {
        String slug = api.createProject(admin, "Anon keys");
        String keyId = api.createKeyReply(admin, slug, "projects:read").json().get("id").asText();
        String keys = "/api/v1/projects/" + slug + "/keys";

        assertThat(api.get(keys, null).status()).isEqualTo(401);
        assertThat(api.post(keys, null, Map.of("name", "k", "scopes", List.of("keys:read"))).status()).isEqualTo(401);
        assertThat(api.delete(keys + "/" + keyId, null).status()).isEqualTo(401);
        assertThat(api.post(keys + "/" + keyId + "/roll", null, "").status()).isEqualTo(401);
        assertThat(api.get(keys, "gk_dev_notarealkeyatallnotarealkeyatallnotarea").status()).isEqualTo(401);
    }

    @Test
    void aMalformedKeyIdIsNotFound() {
        String slug = api.createProject(admin, "Bad id");

        assertThat(api.delete("/api/v1/projects/" + slug + "/keys/not-a-uuid", admin).status()).isEqualTo(404);
    }
}
