package dev.gatekit.app.support;

import dev.gatekit.app.GateKitApplication;
import dev.gatekit.app.GateKitConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A running GateKit on real Postgres and Redis, for end-to-end tests. */
public final class TestApp {

    public static final String ENCRYPTION_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    /** The admin port's token in every test application. */
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private TestApp() {
    }

    /**
     * An application on the run's database and Redis prefix; {@code settings} ({@code "rateLimit.max=5"})
     * override the test configuration. Each instance reads its overrides under a system-property
     * prefix of its own, so two instances in one class, or one class after another, never see each
     * other's settings.
     */
    public static DropwizardAppExtension<GateKitConfiguration> extension(String... settings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("database.url", TestInfrastructure.databaseUrl());
        values.put("redis.url", TestInfrastructure.REDIS_URL);
        values.put("redis.keyPrefix", TestInfrastructure.REDIS_PREFIX);
        values.put("encryption.key", ENCRYPTION_KEY);
        values.put("adminAuth.token", ADMIN_TOKEN);
        for (String setting : settings) {
            int equals = setting.indexOf('=');
            values.put(setting.substring(0, equals), setting.substring(equals + 1));
        }
        String propertyPrefix = "gatekit-test-" + INSTANCES.incrementAndGet() + ".";
        ConfigOverride[] overrides = values.entrySet().stream()
                .map(e -> ConfigOverride.config(propertyPrefix, e.getKey(), e.getValue()))
                .toArray(ConfigOverride[]::new);
        return new DropwizardAppExtension<>(GateKitApplication.class, ResourceHelpers.resourceFilePath("gatekit-test.yml"),
                propertyPrefix, overrides);
    }

    public static Api api(DropwizardAppExtension<GateKitConfiguration> app) {
        return new Api("http://127.0.0.1:" + app.getLocalPort(), "http://127.0.0.1:" + app.getAdminPort(),
                app.getConfiguration().getAdminAuth().token);
    }
}
