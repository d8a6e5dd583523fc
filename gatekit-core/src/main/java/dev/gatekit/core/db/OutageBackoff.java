package dev.gatekit.core.db;

import java.time.Duration;

/**
 * How long a background loop waits before it tries Postgres again while Postgres is out of reach:
 * one second, doubling up to {@link DatabaseOutage#RETRY_AFTER_SECONDS}, so a loop neither spins
 * on refused connections nor starts more than a few seconds late once Postgres is back. The outage
 * itself is logged by {@link DatabaseOutage}, once. One per loop; its threads may share it.
 */
public final class OutageBackoff {

    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration LONGEST = Duration.ofSeconds(DatabaseOutage.RETRY_AFTER_SECONDS);

    private final DatabaseOutage outage;
    private Duration wait = Duration.ZERO;
    private long resumeAt;

    public OutageBackoff(DatabaseOutage outage) {
        this.outage = outage;
    }

    /**
     * True when {@code e} is Postgres out of reach: noted by the outage, and the loop waits longer
     * before its next try; false for any other error, which the loop logs as before.
     */
    public synchronized boolean absorbs(Throwable e) {
        if (!outage.absorbs(e)) {
            return false;
        }
        wait = wait.isZero() ? FIRST : min(wait.multipliedBy(2), LONGEST);
        resumeAt = System.nanoTime() + wait.toNanos();
        return true;
    }

    /** A turn went through: the next outage starts waiting from the shortest wait again. */
    public synchronized void succeeded() {
        wait = Duration.ZERO;
    }

    /** Whether a loop on a timer should skip this turn: it is still waiting out an outage. */
    public synchronized boolean waiting() {
        return !wait.isZero() && System.nanoTime() - resumeAt < 0;
    }

    /** For a loop that sleeps between tries: sleeps out what is left of the current wait. */
    public void sleep() throws InterruptedException {
        long left;
        synchronized (this) {
            left = wait.isZero() ? 0 : resumeAt - System.nanoTime();
        }
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left).toMillis() + 1);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
