package dev.gatekit.plugin.discord.fake;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling with a deadline, never by a bare sleep. */
public final class Poll {

    private static final long INTERVAL_MILLIS = 20;

    private Poll() {
    }

    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
