package dev.gatekit.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liquibase's update under a lock that dies with its holder. Liquibase's own lock is a row in
 * {@code databasechangeloglock}: a process killed while migrating leaves it set, and every later
 * start waits for it, then fails. So starts first take a session-level advisory lock on their own
 * connection, which Postgres releases when that connection goes, however its process ended; whoever
 * holds it clears a Liquibase lock whose holder is no longer connected, then migrates as usual.
 */
final class SchemaMigration {

    /** What every migrating connection calls itself, so a live holder of Liquibase's lock can be told from a dead one. */
    static final String APPLICATION_NAME = "gatekit-migrate";
    /** "gatekit" in ASCII: one key for every GateKit process migrating this database. */
    private static final long ADVISORY_LOCK = 0x67_61_74_65_6b_69_74L;
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    /** Brings the schema up to date over {@code connection}, one process at a time. */
    static void run(Connection connection) throws SQLException {
        execute(connection, "SELECT pg_advisory_lock(?)");
        try {
            releaseAbandonedLiquibaseLock(connection);
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            // Liquibase prints each changeset and a summary table to stdout; through its logger they
            // follow the configured log level instead (WARN for liquibase in config.yml).
            Liquibase liquibase = new Liquibase(Infrastructure.CHANGELOG, new ClassLoaderResourceAccessor(), database);
            liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
            Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), () -> liquibase.update(new Contexts(), new LabelExpression()));
        } catch (LiquibaseException e) {
            throw new StartupFailure("Database migration failed: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StartupFailure("Database migration failed: " + e, e);
        } finally {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            execute(connection, "SELECT pg_advisory_unlock(?)");
        }
    }

    /**
     * A Liquibase lock is abandoned when no other migrating connection is there to hold it: starts
     * waiting for the advisory lock behind this one do not count, they hold nothing yet. A {@code db
     * migrate} run apart holds it with a connection named like ours, so its lock is left alone.
     */
    private static void releaseAbandonedLiquibaseLock(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass('databasechangeloglock') IS NOT NULL");
             ResultSet rs = exists.executeQuery()) {
            if (!rs.next() || !rs.getBoolean(1)) {
                return;
            }
        }
        try (PreparedStatement release = connection.prepareStatement("""
                UPDATE databasechangeloglock taken SET locked = false, lockgranted = NULL, lockedby = NULL
                FROM (SELECT id, lockedby FROM databasechangeloglock) held
                WHERE taken.id = held.id AND taken.locked AND NOT EXISTS (
                    SELECT 1 FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = ? AND pid <> pg_backend_pid()
                      AND wait_event IS DISTINCT FROM 'advisory')
                RETURNING held.lockedby""")) {
            release.setString(1, APPLICATION_NAME);
            try (ResultSet released = release.executeQuery()) {
                if (released.next()) {
                    LOG.warn("Cleared the database migration lock left by {}, which is no longer connected", released.getString(1));
                }
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, ADVISORY_LOCK);
            statement.execute();
        }
    }
}
