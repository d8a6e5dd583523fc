package dev.gatekit.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Poll;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.embedded.RedisServer;

/**
 * The health endpoint against a Redis this test owns (an embedded one), so it can take Redis
 * away and see GateKit say so.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HealthTest {

    static final int REDIS_PORT = freePort();
    static final RedisServer REDIS = startRedis();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension("redis.url=redis://127.0.0.1:" + REDIS_PORT);

    @AfterAll
    static void stopRedis() throws IOException {
        if (REDIS.isActive()) {
            REDIS.stop();
        }
    }

    @Test
    void reportsEachDependencyAndAnswers503WhenOneIsDown() throws IOException {
        Api api = TestApp.api(APP);

        Reply healthy = api.get("/api/v1/health", null);
        assertThat(healthy.status()).isEqualTo(200);
        assertThat(healthy.json().get("success").asBoolean()).isTrue();
        assertThat(healthy.json().at("/data/status").asText()).isEqualTo("healthy");
        assertThat(healthy.json().at("/data/checks/database/status").asText()).isEqualTo("up");
        assertThat(healthy.json().at("/data/checks/redis/status").asText()).isEqualTo("up");
        assertThat(healthy.json().at("/data/version").asText()).isNotBlank();
        Reply admin = api.send(api.adminRequest("/healthcheck").GET());
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().at("/redis/healthy").asBoolean()).isTrue();
        assertThat(admin.json().at("/database/healthy").asBoolean()).isTrue();

        REDIS.stop();

        Poll.until(Duration.ofSeconds(30), () -> api.get("/api/v1/health", null).status() == 503);
        Reply unhealthy = api.get("/api/v1/health", null);
        assertThat(unhealthy.json().get("success").asBoolean()).isFalse();
        assertThat(unhealthy.json().at("/data/status").asText()).isEqualTo("unhealthy");
        assertThat(unhealthy.json().at("/data/checks/redis/status").asText()).isEqualTo("down");
        assertThat(unhealthy.json().at("/data/checks/redis/error").asText()).isNotBlank();
        assertThat(unhealthy.json().at("/data/checks/database/status").asText()).isEqualTo("up");
        Reply adminDown = api.send(api.adminRequest("/healthcheck").GET());
        assertThat(adminDown.status()).isEqualTo(500);
        assertThat(adminDown.json().at("/redis/healthy").asBoolean()).isFalse();
    }

    private static RedisServer startRedis() {
        try {
            RedisServer server = RedisServer.newRedisServer().port(REDIS_PORT).bind("127.0.0.1").setting("save \"\"").build();
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
