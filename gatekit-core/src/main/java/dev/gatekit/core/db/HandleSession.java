package dev.gatekit.core.db;

import java.util.function.BiFunction;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A connection and its attached DAO, kept by one thread for the statements it runs over and over
 * (a writer's inserts, a dispatcher's claims): attaching a SqlObject builds a proxy and copies
 * JDBI's configuration, which cost more than the statements themselves when done per batch.
 * Not thread-safe: one per thread. A connection that failed is dropped and the next call opens
 * another.
 */
public final class HandleSession<D> implements AutoCloseable {

    private final Jdbi jdbi;
    private final Class<D> daoType;
    private Handle handle;
    private D dao;

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
            close();
            throw e;
        }
    }

    /** Runs one statement on its own (autocommit). */
    public <R> R call(Function<D, R> work) {
        open();
        try {
            return work.apply(dao);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Handle open() {
        if (handle == null) {
            handle = jdbi.open();
            dao = handle.attach(daoType);
        }
        return handle;
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
