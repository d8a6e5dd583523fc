package dev.gatekit.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** A loop's wait while Postgres is out of reach: only an outage makes it wait, and a turn that goes through ends the wait. */
class OutageBackoffTest {

    private static final RuntimeException REFUSED = new UnableToExecuteStatementException(
            new SQLException("FATAL: database \"gatekit\" is not currently accepting connections", "55000"), null);
    private static final RuntimeException CONNECTION_LOST = new UnableToExecuteStatementException(
            new SQLException("An I/O error occurred while sending to the backend.", "08006"), null);
    private static final RuntimeException CONSTRAINT = new UnableToExecuteStatementException(
            new SQLException("duplicate key value violates unique constraint", "23505"), null);

    private final OutageBackoff backoff = new OutageBackoff(new DatabaseOutage());

    @Test
    void anOutageMakesTheLoopWaitAndAnyOtherErrorDoesNot() {
        assertThat(backoff.absorbs(CONSTRAINT)).isFalse();
        assertThat(backoff.waiting()).isFalse();

        assertThat(backoff.absorbs(REFUSED)).isTrue();
        assertThat(backoff.waiting()).isTrue();
        assertThat(backoff.absorbs(CONNECTION_LOST)).isTrue();
        assertThat(backoff.waiting()).isTrue();
    }

    @Test
    void aTurnThatGoesThroughEndsTheWait() throws InterruptedException {
        backoff.absorbs(REFUSED);
        backoff.succeeded();

        assertThat(backoff.waiting()).isFalse();
        long started = System.nanoTime();
        backoff.sleep();
        assertThat(System.nanoTime() - started).isLessThan(500_000_000L);
    }
}
