package dev.gatekit.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gatekit.app.support.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Start-up migration: a lock left by a process that died does not stop the next start; starts together migrate once. */
class SchemaMigrationTest {

    private static final String ADMIN = "jdbc:postgresql://" + TestInfrastructure.POSTGRES_HOST + "/postgres?user=postgres";
    private String database;

    @BeforeEach
    void createDatabase() throws SQLException {
        database = "gatekit_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        adminExecute("CREATE DATABASE " + database);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        adminExecute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @Test
    void aLockLeftByAProcessThatDiedDoesNotStopAStart() throws Exception {
        // What a process killed in the middle of its first migration leaves behind: its connection is gone.
        try (Connection killed = connect(SchemaMigration.APPLICATION_NAME)) {
            takeLiquibaseLock(killed, "killed-host (10.0.0.9)");
        }

        // Liquibase alone waits five minutes for that lock, then fails the start.
        assertTimeoutPreemptively(Duration.ofSeconds(60), this::start);

        assertThat(query("SELECT locked FROM databasechangeloglock")).containsExactly("f");
        assertThat(query("SELECT count(*) FROM databasechangelog")).doesNotContain("0");
    }

    @Test
    void aLockHeldByALiveMigrationIsWaitedFor() throws Exception {
        try (Connection holder = connect(SchemaMigration.APPLICATION_NAME)) {
            // A `db migrate` run apart, in the middle of its update.
            takeLiquibaseLock(holder, "operator (10.0.0.7)");
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(this::start);

            assertThatThrownBy(() -> waiting.get(3, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);

            try (Statement s = holder.createStatement()) {
                s.executeUpdate("UPDATE databasechangeloglock SET locked = false, lockgranted = NULL, lockedby = NULL");
            }
            waiting.get(60, TimeUnit.SECONDS);
        }
        assertThat(query("SELECT count(*) FROM databasechangelog")).doesNotContain("0");
    }

    @Test
    void startsAtOnceMigrateOnce() throws Exception {
        int starts = 3;
        CountDownLatch ready = new CountDownLatch(starts);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            running.add(CompletableFuture.runAsync(() -> {
                ready.countDown();
                try {
                    ready.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                start();
            }));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

        List<String> runs = query("SELECT count(*) || '/' || count(DISTINCT (id, author, filename)) FROM databasechangelog");
        String[] counts = runs.get(0).split("/");
        assertThat(Integer.parseInt(counts[0])).isPositive().isEqualTo(Integer.parseInt(counts[1]));
        assertThat(query("SELECT locked FROM databasechangeloglock")).containsExactly("f");
    }

    /** Liquibase's lock table as Liquibase creates it, locked over {@code connection}. */
    private static void takeLiquibaseLock(Connection connection, String lockedBy) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE databasechangeloglock (id INTEGER PRIMARY KEY, locked BOOLEAN NOT NULL, "
                    + "lockgranted TIMESTAMP WITHOUT TIME ZONE, lockedby VARCHAR(255))");
            s.execute("INSERT INTO databasechangeloglock VALUES (1, true, now(), '" + lockedBy + "')");
        }
    }

    private void start() {
        GateKitConfiguration config = new GateKitConfiguration();
        config.getDatabase().url = "postgresql://postgres@" + TestInfrastructure.POSTGRES_HOST + "/" + database;
        Infrastructure.prepareDatabase(config);
    }

    private Connection connect(String applicationName) throws SQLException {
        String url = "jdbc:postgresql://" + TestInfrastructure.POSTGRES_HOST + "/" + database + "?user=postgres";
        return DriverManager.getConnection(applicationName == null ? url : url + "&ApplicationName=" + applicationName);
    }

    private List<String> query(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(null); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void adminExecute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
