package dev.gatekit.plugin.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Lets at most {@code max} sends be in flight at once. The others wait in a queue, holding no
 * thread, and start in order as earlier ones finish, on the thread that finished one. A waiting
 * send whose stage the caller has already completed (cancelled, timed out) is dropped, never
 * started, so a send the host gave up on cannot reach the endpoint later.
 *
 * <p>For {@link PlatformClient#sendAsync} implementations whose library does not bound its own
 * requests: the host already bounds sends per configuration, but a plugin knows its platform's
 * connection limits best.
 *
 * @since 1.2.0
 */
public final class InFlightLimit {

    private final int max;
    private final Supplier<? extends Throwable> closedFailure;
    private final Queue<Waiting<?>> waiting = new ArrayDeque<>();
    /** Drain requests not yet served; only the caller that raises it from zero drains, so starts never recurse. */
    private final AtomicInteger drainRequests = new AtomicInteger();
    private int inFlight; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param max           the most sends in flight at once, at least 1
     * @param closedFailure what a send submitted after, or still waiting at, {@link #close()} fails with
     */
    public InFlightLimit(int max, Supplier<? extends Throwable> closedFailure) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
        this.closedFailure = closedFailure;
    }

    /**
     * Starts a send now if fewer than {@code max} are in flight, else when its turn comes.
     *
     * @param start starts the send; must not block, and its stage must complete
     * @return the send's outcome, failed with the bare cause (no {@link CompletionException})
     */
    public <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> start) {
        Waiting<T> send = new Waiting<>(start, new CompletableFuture<>());
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(closedFailure.get());
            }
            waiting.add(send);
        }
        drain();
        return send.result;
    }

    /** Fails every waiting send and every later one; sends in flight finish on their own. */
    public void close() {
        List<Waiting<?>> dropped;
        synchronized (this) {
            closed = true;
            dropped = new ArrayList<>(waiting);
            waiting.clear();
        }
        dropped.forEach(send -> send.result.completeExceptionally(closedFailure.get()));
    }

    /**
     * Counts the sends started and not yet finished.
     *
     * @return how many sends are in flight now
     */
    public synchronized int inFlight() {
        return inFlight;
    }

    private void drain() {
        if (drainRequests.getAndIncrement() != 0) {
            return; // another thread is draining and will look again
        }
        int served = 1;
        do {
            Waiting<?> next;
            while ((next = nextToStart()) != null) {
                next.start();
            }
            served = drainRequests.addAndGet(-served);
        } while (served != 0);
    }

    private synchronized Waiting<?> nextToStart() {
        while (inFlight < max) {
            Waiting<?> next = waiting.poll();
            if (next == null) {
                return null;
            }
            if (!next.result.isDone()) {
                inFlight++;
                return next;
            }
        }
        return null;
    }

    private void finished() {
        synchronized (this) {
            inFlight--;
        }
        drain();
    }

    private final class Waiting<T> {
        private final Supplier<? extends CompletionStage<T>> start;
        private final CompletableFuture<T> result;

        Waiting(Supplier<? extends CompletionStage<T>> start, CompletableFuture<T> result) {
            this.start = start;
            this.result = result;
        }

        void start() {
            CompletionStage<T> stage;
            try {
                stage = start.get();
                if (stage == null) {
                    throw new NullPointerException("a send started no stage");
                }
            } catch (RuntimeException | Error e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((value, failure) -> {
                finished();
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
                }
            });
        }
    }
}
