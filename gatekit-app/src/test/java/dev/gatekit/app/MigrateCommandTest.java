package dev.gatekit.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.support.TestInfrastructure;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code db migrate config.yml}, for operators who migrate apart from start-up, builds the whole schema. */
class MigrateCommandTest {

    @TempDir
    Path directory;

    @Test
    void migrateCreatesTheSchemaInAnEmptyDatabase() throws Exception {
        String database = "gatekit_migrate_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String admin = "jdbc:postgresql://" + TestInfrastructure.POSTGRES_HOST + "/postgres?user=postgres";
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        try {
            Path config = directory.resolve("config.yml");
            Files.writeString(config, """
                    environment: production
                    database:
                      url: "postgresql://postgres@%s/%s"
                    redis:
                      url: "%s"
                    encryption:
                      key: "%s"
                    logging:
                      level: WARN
                    """.formatted(TestInfrastructure.POSTGRES_HOST, database, TestInfrastructure.REDIS_URL, TestApp.ENCRYPTION_KEY));
            GateKitApplication application = new GateKitApplication();
            Bootstrap<GateKitConfiguration> bootstrap = new Bootstrap<>(application);
            application.addDefaultCommands(bootstrap);
            application.initialize(bootstrap);
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            Optional<Throwable> error = new Cli(new JarLocation(GateKitApplication.class), bootstrap, new PrintStream(out), new PrintStream(out))
                    .run("db", "migrate", config.toString());

            assertThat(error).as(out.toString()).isEmpty();
            List<String> tables = new ArrayList<>();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + TestInfrastructure.POSTGRES_HOST + "/" + database + "?user=postgres");
                 ResultSet rs = c.createStatement().executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("projects", "api_keys", "platform_configurations", "messages", "message_targets",
                    "delivery_attempts", "inbound_events", "event_endpoints", "usage_counters");
        } finally {
            try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }
}
