package dev.gatekit.app.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.JwksServer;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class JwtAuthenticationTest {

    static final JwksServer ISSUER = JwksServer.start();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "auth.auth0Domain=" + ISSUER.domain(),
            "auth.auth0Audience=" + JwksServer.AUDIENCE);
    static final RSAKey RSA = ISSUER.newRsaKey(true);
    static final ECKey EC = ISSUER.newEcKey(true);
    static Api api;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
    }

    @AfterAll
    static void tearDown() {
        ISSUER.close();
    }

    private static Reply asBearer(String method, String path, String token, Object body) {
        var request = api.request(path, null).header("Authorization", "Bearer " + token);
        if (body == null) {
            return api.send(request.method(method, java.net.http.HttpRequest.BodyPublishers.noBody()));
        }
        try {
            return api.send(request.header("Content-Type", "application/json")
                    .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(Api.JSON.writeValueAsString(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject() {
        return "auth0|" + UUID.randomUUID();
    }

    @Test
    void aSubjectOwnsTheProjectsItCreatesAndNoOneElseSeesThem() {
        String alice = JwksServer.sign(RSA, ISSUER.fullAccessClaims(subject()).build());
        String bob = JwksServer.sign(RSA, ISSUER.fullAccessClaims(subject()).build());

        Reply created = asBearer("POST", "/api/v1/projects", alice, Map.of("name", "Alice's"));
        assertThat(created.status()).isEqualTo(201);
        String slug = created.json().get("slug").asText();

        assertThat(asBearer("GET", "/api/v1/projects/" + slug, alice, null).status()).isEqualTo(200);
        assertThat(asBearer("GET", "/api/v1/projects", alice, null).json()).extracting(n -> n.get("slug").asText()).containsExactly(slug);
        assertThat(asBearer("GET", "/api/v1/projects/" + slug, bob, null).status()).isEqualTo(404);
        assertThat(asBearer("GET", "/api/v1/projects", bob, null).json()).isEmpty();
    }

    @Test
    void theOwnerCanManageKeysOfItsProject() {
        String owner = JwksServer.sign(EC, ISSUER.fullAccessClaims(subject()).build());
        String slug = asBearer("POST", "/api/v1/projects", owner, Map.of("name", "Keys by JWT")).json().get("slug").asText();

        Reply key = asBearer("POST", "/api/v1/projects/" + slug + "/keys", owner, Map.of("name", "ci", "scopes", List.of("projects:read")));

        assertThat(key.status()).isEqualTo(201);
        assertThat(api.get("/api/v1/projects/" + slug, key.json().get("key").asText()).status()).isEqualTo(200);
    }

    @Test
    void es256TokensAreAccepted() {
        String token = JwksServer.sign(EC, ISSUER.fullAccessClaims(subject()).build());

        assertThat(asBearer("GET", "/api/v1/projects", token, null).status()).isEqualTo(200);
    }

    @Test
    void aWrongAudienceIsRejected() {
        String token = JwksServer.sign(RSA, ISSUER.claims(subject()).audience("https://someone-else").build());

        Reply reply = asBearer("GET", "/api/v1/projects", token, null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().at("/error/message").asText()).isEqualTo("Invalid or expired token");
    }

    @Test
    void aWrongIssuerIsRejected() {
        String token = JwksServer.sign(RSA, ISSUER.claims(subject()).issuer("https://evil.example/").build());

        assertThat(asBearer("GET", "/api/v1/projects", token, null).status()).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRejected() {
        long past = System.currentTimeMillis() - 3_600_000;
        String token = JwksServer.sign(RSA, ISSUER.claims(subject())
                .issueTime(new Date(past - 600_000)).expirationTime(new Date(past)).build());

        assertThat(asBearer("GET", "/api/v1/projects", token, null).status()).isEqualTo(401);
    }

    @Test
    void anUnsignedTokenIsRejected() {
        JWTClaimsSet claims = ISSUER.fullAccessClaims(subject()).build();
        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";

        assertThat(asBearer("GET", "/api/v1/projects", none, null).status()).isEqualTo(401);
    }

    @Test
    void anHmacTokenIsRejected() {
        String token = JwksServer.signHs256("a-shared-secret-that-is-32-bytes!!".getBytes(StandardCharsets.UTF_8), ISSUER.fullAccessClaims(subject()).build());

        assertThat(asBearer("GET", "/api/v1/projects", token, null).status()).isEqualTo(401);
    }

    @Test
    void aTokenSignedByAnUnpublishedKeyIsRejected() {
        RSAKey stranger = ISSUER.newRsaKey(false);

        assertThat(asBearer("GET", "/api/v1/projects", JwksServer.sign(stranger, ISSUER.fullAccessClaims(subject()).build()), null).status())
                .isEqualTo(401);
    }

    @Test
    void aKeyTheIssuerPublishesLaterIsFetchedOnItsFirstUse() {
        String subject = subject();
        assertThat(asBearer("GET", "/api/v1/projects", JwksServer.sign(RSA, ISSUER.fullAccessClaims(subject).build()), null).status()).isEqualTo(200);
        RSAKey rotated = ISSUER.newRsaKey(false);
        String token = JwksServer.sign(rotated, ISSUER.fullAccessClaims(subject).build());
        assertThat(asBearer("GET", "/api/v1/projects", token, null).status()).isEqualTo(401);

        ISSUER.publish(rotated);
        int fetchesBefore = ISSUER.fetches();

        // Re-fetches are rate limited (one a second), so the first try may still be refused.
        Poll.until(Duration.ofSeconds(10), () -> asBearer("GET", "/api/v1/projects", token, null).status() == 200);
        assertThat(ISSUER.fetches()).isGreaterThan(fetchesBefore);
    }

    @Test
    void permissionsAndScopeClaimsLimitWhatTheTokenMayDo() {
        String subject = subject();
        String full = JwksServer.sign(RSA, ISSUER.fullAccessClaims(subject).build());
        String slug = asBearer("POST", "/api/v1/projects", full, Map.of("name", "Limited")).json().get("slug").asText();
        String readOnly = JwksServer.sign(RSA, ISSUER.claims(subject).claim("permissions", List.of("projects:read")).build());
        String scoped = JwksServer.sign(RSA, ISSUER.claims(subject).claim("scope", "openid projects:read projects:write").build());

        assertThat(asBearer("GET", "/api/v1/projects/" + slug, readOnly, null).status()).isEqualTo(200);
        assertThat(asBearer("PATCH", "/api/v1/projects/" + slug, readOnly, Map.of("name", "x")).status()).isEqualTo(403);
        assertThat(asBearer("PATCH", "/api/v1/projects/" + slug, scoped, Map.of("name", "x")).status()).isEqualTo(200);
        assertThat(asBearer("GET", "/api/v1/projects/" + slug + "/keys", scoped, null).status()).isEqualTo(403);
    }

    @Test
    void aTokenWithNeitherPermissionsNorScopeMayDoNothing() {
        String subject = subject();
        String owner = JwksServer.sign(RSA, ISSUER.fullAccessClaims(subject).build());
        String slug = asBearer("POST", "/api/v1/projects", owner, Map.of("name", "Unscoped")).json().get("slug").asText();
        String bare = JwksServer.sign(RSA, ISSUER.claims(subject).build());

        assertThat(asBearer("GET", "/api/v1/projects", bare, null).status()).isEqualTo(403);
        assertThat(asBearer("POST", "/api/v1/projects", bare, Map.of("name", "x")).status()).isEqualTo(403);
        assertThat(asBearer("GET", "/api/v1/projects/" + slug, bare, null).status()).isEqualTo(403);
        assertThat(asBearer("PATCH", "/api/v1/projects/" + slug, bare, Map.of("name", "x")).status()).isEqualTo(403);
        assertThat(asBearer("GET", "/api/v1/projects/" + slug + "/keys", bare, null).status()).isEqualTo(403);
        assertThat(asBearer("POST", "/api/v1/projects/" + slug + "/keys", bare, Map.of("name", "k", "scopes", List.of("projects:read")))
                .status()).isEqualTo(403);
        assertThat(asBearer("GET", "/api/v1/projects/" + slug + "/platforms", bare, null).status()).isEqualTo(403);
        assertThat(asBearer("GET", "/api/v1/projects/" + slug + "/messages", bare, null).status()).isEqualTo(403);
        assertThat(asBearer("POST", "/api/v1/projects/" + slug + "/messages/send", bare,
                Map.of("targets", List.of(Map.of("platformId", UUID.randomUUID(), "type", "user", "id", "1")),
                        "content", Map.of("text", "hi"))).status()).isEqualTo(403);
    }

    @Test
    void anApiKeyWinsOverABearerToken() {
        String owner = JwksServer.sign(RSA, ISSUER.fullAccessClaims(subject()).build());
        String slug = asBearer("POST", "/api/v1/projects", owner, Map.of("name", "Both headers")).json().get("slug").asText();
        String key = asBearer("POST", "/api/v1/projects/" + slug + "/keys", owner, Map.of("name", "k", "scopes", List.of("projects:read")))
                .json().get("key").asText();

        Reply withGarbageBearer = api.send(api.request("/api/v1/projects/" + slug, key).header("Authorization", "Bearer garbage").GET());
        assertThat(withGarbageBearer.status()).isEqualTo(200);

        Reply withBadKey = api.send(api.request("/api/v1/projects/" + slug, "gk_dev_wrong").header("Authorization", "Bearer " + owner).GET());
        assertThat(withBadKey.status()).isEqualTo(401);
        assertThat(withBadKey.json().at("/error/message").asText()).isEqualTo("Invalid API key");
    }
}
