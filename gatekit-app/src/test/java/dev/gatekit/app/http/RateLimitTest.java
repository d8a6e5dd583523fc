package dev.gatekit.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two GateKit instances on one Redis (and a prefix of their own, so no other test's budget
 * mixes in): a key's budget is shared by both, and every answer carries the X-RateLimit headers.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RateLimitTest {

    static final String PREFIX = "gatekit-ratelimit-" + UUID.randomUUID() + ":";
    static final DropwizardAppExtension<GateKitConfiguration> FIRST = TestApp.extension(
            "rateLimit.max=5", "rateLimit.ttlSeconds=60",
            "redis.keyPrefix=" + PREFIX);
    static final DropwizardAppExtension<GateKitConfiguration> SECOND = TestApp.extension(
            "rateLimit.max=5", "rateLimit.ttlSeconds=60",
            "redis.keyPrefix=" + PREFIX);
    static Api first;
    static Api second;
    static String admin;

    @BeforeAll
    static void setUp() {
        first = TestApp.api(FIRST);
        second = TestApp.api(SECOND);
        admin = first.mintAdminKey();
    }

    @Test
    void aKeysBudgetIsSharedByEveryInstanceAndThenRefusedWith429() {
        String slug = first.createProject(admin, "Budget");
        String key = first.createKey(admin, slug, "projects:read");

        Reply one = first.get("/api/v1/projects/" + slug, key);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.header("X-RateLimit-Limit")).isEqualTo("5");
        assertThat(one.header("X-RateLimit-Remaining")).isEqualTo("4");
        assertThat(Long.parseLong(one.header("X-RateLimit-Reset"))).isBetween(1L, 60L);

        assertThat(second.get("/api/v1/projects/" + slug, key).header("X-RateLimit-Remaining")).isEqualTo("3");
        assertThat(first.get("/api/v1/projects/" + slug, key).status()).isEqualTo(200);
        assertThat(second.get("/api/v1/projects/" + slug, key).status()).isEqualTo(200);
        assertThat(first.get("/api/v1/projects/" + slug, key).header("X-RateLimit-Remaining")).isEqualTo("0");

        Reply refused = second.get("/api/v1/projects/" + slug, key);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.errorCode()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");

        String otherKey = first.createKey(admin, slug, "projects:read");
        assertThat(first.get("/api/v1/projects/" + slug, otherKey).status()).isEqualTo(200);
    }

    @Test
    void failedAuthenticationsFromOneAddressAreLimitedToo() {
        String slug = first.createProject(admin, "Guessing");
        String key = first.createKey(admin, slug, "projects:read");
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            statuses.add((i % 2 == 0 ? first : second).get("/api/v1/projects", "gk_dev_guess" + i).status());
        }

        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(statuses.subList(5, 7)).containsOnly(429);
        assertThat(first.get("/api/v1/projects/" + slug, key).status()).as("a valid key keeps its own budget").isEqualTo(200);
    }

    @Test
    void theHealthCheckIsNotMetered() {
        for (int i = 0; i < 8; i++) {
            assertThat(first.get("/api/v1/health", null).status()).isEqualTo(200);
        }
    }
}
