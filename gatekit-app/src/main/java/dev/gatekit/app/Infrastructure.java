package dev.gatekit.app;

import io.dropwizard.db.DataSourceFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/** Connecting to Postgres and Redis: checked once at start-up so a bad address fails in one clear line. */
final class Infrastructure {

    static final String CHANGELOG = "migrations.xml";
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    private Infrastructure() {
    }

    static DatabaseUrl databaseUrl(GateKitConfiguration config) {
        String url = config.getDatabase().url;
        if (url == null || url.isBlank()) {
            throw new StartupFailure("DATABASE_URL is not set");
        }
        try {
            return DatabaseUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure("DATABASE_URL is invalid: " + e.getMessage());
        }
    }

    /** For {@code db migrate}: named as start-up's migrating connection is, so neither takes the other's lock for abandoned. */
    static DataSourceFactory migrationDataSourceFactory(GateKitConfiguration config) {
        DataSourceFactory factory = dataSourceFactory(config);
        factory.setProperties(java.util.Map.of("ApplicationName", SchemaMigration.APPLICATION_NAME));
        return factory;
    }

    static DataSourceFactory dataSourceFactory(GateKitConfiguration config) {
        DatabaseUrl url = databaseUrl(config);
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass("org.postgresql.Driver");
        factory.setUrl(url.jdbcUrl());
        factory.setUser(url.user());
        factory.setPassword(url.password());
        factory.setMinSize(1);
        factory.setInitialSize(1);
        factory.setMaxSize(config.getDatabase().maxConnections);
        factory.setValidationQuery("SELECT 1");
        factory.setCheckConnectionOnBorrow(true);
        factory.setProperties(java.util.Map.of("ApplicationName", "gatekit"));
        return factory;
    }

    /** Fails fast when the database does not answer, then brings its schema up to date if asked. */
    static void prepareDatabase(GateKitConfiguration config) {
        DatabaseUrl url = databaseUrl(config);
        Properties properties = new Properties();
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", SchemaMigration.APPLICATION_NAME);
        try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), properties)) {
            if (config.getDatabase().migrateOnStart) {
                SchemaMigration.run(connection);
            }
        } catch (SQLException e) {
            throw new StartupFailure("Cannot reach the database at " + url.describe() + ": " + e.getMessage(), e);
        }
    }

    static RedissonClient connectRedis(GateKitConfiguration config) {
        RedisUrl url;
        try {
            url = RedisUrl.parse(config.getRedis().url);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure("REDIS_URL is invalid: " + e.getMessage());
        }
        try {
            return Redisson.create(url.toRedissonConfig());
        } catch (RuntimeException e) {
            throw new StartupFailure("Cannot reach Redis at " + url.address() + ": " + e.getMessage(), e);
        }
    }
}
