package dev.gatekit.core.db;

import dev.gatekit.core.errors.Causes;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Postgres is out of reach, told from the errors it causes: a request it fails is answered
 * 503 with {@code Retry-After} rather than 500, a background loop it fails waits and tries again
 * ({@link OutageBackoff}), and the outage is logged once when it begins (WARN) and once when it ends
 * (INFO), not with a stack trace per request or per turn of a loop. Listens to JDBI's handles for the end: a
 * handle opens only on a connection the pool has just checked, but one checked just before its
 * backend was ended still opens, so an outage ends only at a handle opened after a quiet spell.
 */
public final class DatabaseOutage implements HandleListener {

    /** Seconds a client is asked to wait: about as long as a Postgres restart or a failover takes. */
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);
    /**
     * Postgres's own "go away" answers: admin_shutdown, crash_shutdown, cannot_connect_now (pg_terminate_backend, a
     * restart, a recovery), too_many_connections; every connection_exception (class 08) is caught by its prefix.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    /** object_not_in_prerequisite_state, as Postgres refuses a connection to a database that does not allow any. */
    private static final String NOT_ACCEPTING_CONNECTIONS = "55000";

    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(RETRY_AFTER_SECONDS);

    private final AtomicBoolean down = new AtomicBoolean();
    private volatile long lastFailure;

    /** True when {@code e} comes from Postgres being out of reach, not from a statement it refused. */
    public static boolean isUnavailable(Throwable e) {
        return Causes.find(e, ConnectionException.class).isPresent() || Causes.any(e, SQLException.class, DatabaseOutage::meansUnavailable);
    }

    private static boolean meansUnavailable(SQLException sql) {
        String state = sql.getSQLState();
        if (state == null) {
            return false;
        }
        boolean refused = state.equals(NOT_ACCEPTING_CONNECTIONS) && String.valueOf(sql.getMessage()).contains("accepting connections");
        return state.startsWith("08") || UNAVAILABLE_STATES.contains(state) || refused;
    }

    /** Notes an error {@link #isUnavailable} recognised; only the first of an outage is logged. */
    public void failed(Throwable e) {
        lastFailure = System.nanoTime();
        if (down.compareAndSet(false, true)) {
            LOG.warn("Postgres is out of reach ({}); requests are answered 503 and background work waits until a connection opens again",
                    rootMessage(e));
        }
    }

    /**
     * For work off the request path: true when {@code e} is Postgres out of reach, now noted here
     * (so the caller logs nothing of it); false for any other error, which the caller logs as before.
     */
    public boolean absorbs(Throwable e) {
        if (!isUnavailable(e)) {
            return false;
        }
        failed(e);
        return true;
    }

    @Override
    public void handleCreated(Handle handle) {
        if (down.get() && System.nanoTime() - lastFailure > QUIET_NANOS && down.compareAndSet(true, false)) {
            LOG.info("Postgres is reachable again");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
