package dev.gatekit.app.support;

import dev.gatekit.app.GateKitApplication;
import dev.gatekit.app.GateKitConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.ArrayList;
import java.util.List;

/** A running GateKit on real Postgres and Redis, for end-to-end tests; extra overrides adjust one test class's setup. */
public final class TestApp {

    public static final String ENCRYPTION_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private TestApp() {
    }

    public static DropwizardAppExtension<GateKitConfiguration> extension(ConfigOverride... extra) {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", TestInfrastructure.databaseUrl()),
                ConfigOverride.config("redis.url", TestInfrastructure.REDIS_URL),
                ConfigOverride.config("redis.keyPrefix", TestInfrastructure.REDIS_PREFIX),
                ConfigOverride.config("encryption.key", ENCRYPTION_KEY)));
        overrides.addAll(List.of(extra));
        return new DropwizardAppExtension<>(GateKitApplication.class, ResourceHelpers.resourceFilePath("gatekit-test.yml"),
                overrides.toArray(ConfigOverride[]::new));
    }

    public static Api api(DropwizardAppExtension<GateKitConfiguration> app) {
        return new Api("http://127.0.0.1:" + app.getLocalPort(), "http://127.0.0.1:" + app.getAdminPort());
    }
}
