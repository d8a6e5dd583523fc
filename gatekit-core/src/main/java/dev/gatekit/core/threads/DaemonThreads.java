package dev.gatekit.core.threads;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GateKit's background threads: daemons, so a thread left running never keeps the JVM alive after
 * Dropwizard has stopped, and named, so a thread dump or a profile says whose work it is.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Every thread called {@code name}: for pools of one. */
    public static ThreadFactory named(String name) {
        return runnable -> daemon(runnable, name);
    }

    /** Threads called {@code prefix-1}, {@code prefix-2}, …: for pools of several. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + "-" + counter.incrementAndGet());
    }

    /** A one-thread scheduler on a daemon thread called {@code name}. */
    public static ScheduledExecutorService timer(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
