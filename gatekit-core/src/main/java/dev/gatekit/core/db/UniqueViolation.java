package dev.gatekit.core.db;

import java.sql.SQLException;

/** Recognises Postgres' unique_violation (SQLSTATE 23505) wherever JDBI wrapped it. */
public final class UniqueViolation {

    private UniqueViolation() {
    }

    public static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
