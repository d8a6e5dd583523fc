package dev.gatekit.app.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The real Postgres and Redis the tests run against (127.0.0.1:5432 and :6379, as .ci/run starts
 * them). Each test JVM gets its own database and its own Redis key prefix, removed when it exits.
 */
public final class TestInfrastructure {

    public static final String POSTGRES_HOST = System.getenv().getOrDefault("GATEKIT_TEST_PG", "127.0.0.1:5432");
    public static final String REDIS_URL = System.getenv().getOrDefault("GATEKIT_TEST_REDIS", "redis://127.0.0.1:6379");
    private static final String RUN_ID = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    public static final String DATABASE = "gatekit_test_" + RUN_ID;
    public static final String REDIS_PREFIX = "gatekit-test-" + RUN_ID + ":";

    private static boolean created;

    private TestInfrastructure() {
    }

    /** {@code postgresql://postgres@127.0.0.1:5432/gatekit_test_…}: the original's URL form, parsed by the app. */
    public static synchronized String databaseUrl() {
        if (!created) {
            execute("CREATE DATABASE " + DATABASE);
            Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::cleanUp));
            created = true;
        }
        return "postgresql://postgres@" + POSTGRES_HOST + "/" + DATABASE;
    }

    public static String jdbcUrl() {
        databaseUrl();
        return "jdbc:postgresql://" + POSTGRES_HOST + "/" + DATABASE + "?user=postgres";
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /**
     * A database of a test's own, for a test that cuts connections to it off; dropped when the JVM
     * exits. Its schema is built by the application that starts on it.
     */
    public static String createDatabase(String purpose) {
        String database = "gatekit_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)")));
        return database;
    }

    /**
     * Takes Postgres away from one database as an outage does, without stopping the server others
     * share: new connections are refused and those open are ended. {@code true} gives it back.
     */
    public static void allowConnections(String database, boolean allow) {
        execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + allow);
        if (!allow) {
            execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> pg_backend_pid()");
        }
    }

    private static void cleanUp() {
        execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        Config config = new Config();
        config.useSingleServer().setAddress(REDIS_URL);
        RedissonClient redisson = Redisson.create(config);
        try {
            redisson.getKeys().deleteByPattern(REDIS_PREFIX + "*");
        } finally {
            redisson.shutdown();
        }
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + POSTGRES_HOST + "/postgres?user=postgres");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test Postgres at " + POSTGRES_HOST + " is not usable: " + e.getMessage(), e);
        }
    }
}
