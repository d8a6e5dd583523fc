package dev.gatekit.core.db;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Counts every SQL statement GateKit runs, as the metric {@code gatekit.db.statements} on the
 * admin port: divided by the messages handled, a figure that load and noise cannot move (the
 * benchmark reads it). Replaces a timer per statement, which cost more than the count is worth.
 */
public final class StatementCounter implements SqlLogger {

    public static final String METRIC = "gatekit.db.statements";

    private final Counter statements;

    public StatementCounter(MetricRegistry metrics) {
        this.statements = metrics.counter(METRIC);
    }

    @Override
    public void logAfterExecution(StatementContext context) {
        statements.inc();
    }

    @Override
    public void logException(StatementContext context, java.sql.SQLException ex) {
        statements.inc();
    }
}
