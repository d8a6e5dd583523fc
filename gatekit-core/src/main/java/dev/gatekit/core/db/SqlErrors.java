package dev.gatekit.core.db;

import dev.gatekit.core.errors.Causes;
import java.sql.SQLException;

/** Recognises Postgres errors by SQLSTATE wherever JDBI wrapped them. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /** unique_violation (23505). */
    public static boolean isUniqueViolation(Throwable e) {
        return hasState(e, "23505");
    }

    /** foreign_key_violation (23503): the row a new one points at was deleted meanwhile. */
    public static boolean isForeignKeyViolation(Throwable e) {
        return hasState(e, "23503");
    }

    /** deadlock_detected (40P01) or serialization_failure (40001): the same transaction may simply be run again. */
    public static boolean isTransientConflict(Throwable e) {
        return hasState(e, "40P01") || hasState(e, "40001");
    }

    private static boolean hasState(Throwable e, String state) {
        return Causes.any(e, SQLException.class, sql -> state.equals(sql.getSQLState()));
    }
}
