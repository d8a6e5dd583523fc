package dev.gatekit.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's path: the development environment with no DATABASE_URL, REDIS_URL or
 * ENCRYPTION_KEY starts embedded Postgres and Redis and a generated key, all in one folder, and
 * serves the API; a second start reuses what the first one kept.
 */
class DevelopmentFallbackTest {

    @TempDir
    Path dataDirectory;

    private DropwizardTestSupport<GateKitConfiguration> developmentApp() {
        String prefix = "fallback.";
        return new DropwizardTestSupport<>(GateKitApplication.class, ResourceHelpers.resourceFilePath("gatekit-test.yml"), prefix,
                ConfigOverride.config(prefix, "environment", "development"),
                ConfigOverride.config(prefix, "embedded.dataDirectory", dataDirectory.toString()),
                ConfigOverride.config(prefix, "database.url", ""),
                ConfigOverride.config(prefix, "redis.url", ""),
                ConfigOverride.config(prefix, "redis.keyPrefix", "gatekit:"),
                ConfigOverride.config(prefix, "encryption.key", ""));
    }

    @Test
    void startsOnEmbeddedServersAndKeepsTheirDataBetweenRuns() throws Exception {
        String projectSlug;
        DropwizardTestSupport<GateKitConfiguration> first = developmentApp();
        first.before();
        try {
            Api api = new Api("http://127.0.0.1:" + first.getLocalPort(), "http://127.0.0.1:" + first.getAdminPort(),
                    first.getConfiguration().getAdminAuth().token);
            Reply health = api.get("/api/v1/health", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().at("/data/checks/database/status").asText()).isEqualTo("up");
            assertThat(health.json().at("/data/checks/redis/status").asText()).isEqualTo("up");
            assertThat(first.getConfiguration().getDatabase().url).startsWith("jdbc:postgresql://localhost:");

            String admin = api.mintAdminKey();
            projectSlug = api.createProject(admin, "Kept");
            assertThat(Files.readString(dataDirectory.resolve("encryption.key")).trim()).matches("[0-9a-f]{64}");
            assertThat(dataDirectory.resolve("postgres")).isDirectory();
            assertThat(dataDirectory.resolve("redis")).isDirectory();
        } finally {
            first.after();
        }

        DropwizardTestSupport<GateKitConfiguration> second = developmentApp();
        second.before();
        try {
            Api api = new Api("http://127.0.0.1:" + second.getLocalPort(), "http://127.0.0.1:" + second.getAdminPort(),
                    second.getConfiguration().getAdminAuth().token);
            String admin = api.mintAdminKey();
            assertThat(api.get("/api/v1/projects/" + projectSlug, admin).status()).isEqualTo(200);
            assertThat(api.post("/api/v1/projects", admin, Map.of("name", "Second run")).status()).isEqualTo(201);
        } finally {
            second.after();
        }
    }
}
