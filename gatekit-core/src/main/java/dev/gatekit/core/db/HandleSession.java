package dev.gatekit.core.db;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A connection and its attached DAO, kept by one thread for the statements it runs over and over
 * (a writer's inserts, a dispatcher's claims): attaching a SqlObject builds a proxy and copies
 * JDBI's configuration, which cost more than the statements themselves when done per batch.
 * Not thread-safe: one per thread. A connection is checked before it is used again after a quiet
 * spell (a Postgres restart ends idle connections, and the pool's check on borrow is bypassed here),
 * and dropped once broken; a statement that merely failed leaves it in use.
 */
public final class HandleSession<D> implements AutoCloseable {

    /** Idle longer than this, the connection is checked before its next statement. */
    private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int CHECK_TIMEOUT_SECONDS = 2;

    private final Jdbi jdbi;
    private final Class<D> daoType;
    private Handle handle;
    private D dao;
    private long lastUsed;

    public HandleSession(Jdbi jdbi, Class<D> daoType) {
        this.jdbi = jdbi;
        this.daoType = daoType;
    }

    /** Runs {@code work} in one transaction. */
    public <R> R inTransaction(BiFunction<Handle, D, R> work) {
        Handle open = open();
        try {
            return open.inTransaction(h -> work.apply(h, dao));
        } catch (RuntimeException e) {
            closeIfBroken(e);
            throw e;
        }
    }

    /** Runs one statement on its own (autocommit). */
    public <R> R call(Function<D, R> work) {
        open();
        try {
            return work.apply(dao);
        } catch (RuntimeException e) {
            closeIfBroken(e);
            throw e;
        }
    }

    private Handle open() {
        long now = System.nanoTime();
        if (handle != null && now - lastUsed > CHECK_AFTER_IDLE_NANOS && !isValid()) {
            close();
        }
        if (handle == null) {
            handle = jdbi.open();
            dao = handle.attach(daoType);
        }
        lastUsed = now;
        return handle;
    }

    /** A failed statement leaves the connection usable (its transaction was rolled back); a lost one is dropped. */
    private void closeIfBroken(RuntimeException e) {
        if (DatabaseOutage.isUnavailable(e) || !isValid()) {
            close();
        }
    }

    private boolean isValid() {
        try {
            return handle != null && handle.getConnection().isValid(CHECK_TIMEOUT_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            try {
                handle.close();
            } catch (RuntimeException e) {
                // Already broken: nothing more to release.
            }
            handle = null;
            dao = null;
        }
    }
}
