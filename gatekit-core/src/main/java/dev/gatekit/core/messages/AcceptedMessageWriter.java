package dev.gatekit.core.messages;

import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.db.HandleSession;
import dev.gatekit.core.threads.DaemonThreads;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for accepted messages. Request threads hand their messages over and wait; a writer
 * thread takes everything handed over since its last commit and writes it as one transaction of
 * two statements (messages, then their targets), then answers every request at once. Alone, a
 * request commits at once; under load, hundreds share one commit. Nothing is answered before its
 * rows are committed, so the never-lose guarantee is the same as one transaction per request.
 *
 * <p>A batch that fails is written again message by message, so one bad message (its project
 * deleted a moment ago, say) fails alone; but while Postgres is out of reach every request of the
 * batch gets that failure at once (answered 503), with no try per message. Once committed, the batch is handed to
 * {@code afterCommit} (which puts its targets in Redis in one call).
 */
public class AcceptedMessageWriter implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptedMessageWriter.class);
    /** Rows per statement: large enough to share a commit widely, small enough to keep one statement short. */
    static final int MAX_BATCH = 2_000;

    /** A message to write and the request waiting for it: true once inserted, false when its idempotency key was taken. */
    record Pending(MessageRecord message, List<TargetRecord> targets, CompletableFuture<Boolean> inserted) {
    }

    private final MessageStore store;
    private final Consumer<List<Pending>> afterCommit;
    private final Clock clock;
    private final int writers;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private ExecutorService threads;

    public AcceptedMessageWriter(MessageStore store, Consumer<List<Pending>> afterCommit, Clock clock, int writers) {
        this.store = store;
        this.afterCommit = afterCommit;
        this.clock = clock;
        this.writers = writers;
    }

    /** Queues a message for the next commit; the future completes once that commit is done. */
    CompletableFuture<Boolean> write(MessageRecord message, List<TargetRecord> targets) {
        Pending pending = new Pending(message, targets, new CompletableFuture<>());
        if (!running) {
            pending.inserted().completeExceptionally(new IllegalStateException("GateKit is shutting down; send again"));
            return pending.inserted();
        }
        queue.add(pending);
        return pending.inserted();
    }

    @Override
    public void start() {
        running = true;
        threads = Executors.newFixedThreadPool(writers, DaemonThreads.numbered("gatekit-accept-writer"));
        for (int i = 0; i < writers; i++) {
            threads.execute(this::writeUntilStopped);
        }
    }

    /** Writes what was already handed over, then stops. */
    @Override
    public void stop() throws InterruptedException {
        running = false;
        threads.shutdown();
        if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
            threads.shutdownNow();
        }
    }

    private void writeUntilStopped() {
        try (HandleSession<MessageDao> session = store.openSession()) {
            loop(session);
        }
    }

    private void loop(HandleSession<MessageDao> session) {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeBatch(session, batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // A writer thread must outlive any one batch; what it held was answered with the error.
                LOG.error("Accept writer failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(HandleSession<MessageDao> session, List<Pending> batch) {
        Instant now = clock.instant();
        try {
            Set<java.util.UUID> inserted = store.insert(session, batch.stream().map(Pending::message).toList(),
                    batch.stream().map(Pending::targets).toList(), now);
            batch.forEach(p -> p.inserted().complete(inserted.contains(p.message().id())));
            dispatch(batch.stream().filter(p -> inserted.contains(p.message().id())).toList());
        } catch (RuntimeException e) {
            if (batch.size() == 1 || DatabaseOutage.isUnavailable(e)) {
                batch.forEach(p -> p.inserted().completeExceptionally(e));
                return;
            }
            LOG.debug("A batch of {} messages failed ({}); writing them one by one", batch.size(), e.toString());
            for (Pending pending : batch) {
                writeBatch(session, List.of(pending));
            }
        }
    }

    private void dispatch(List<Pending> committed) {
        if (committed.isEmpty()) {
            return;
        }
        try {
            afterCommit.accept(committed);
        } catch (RuntimeException e) {
            // Committed all the same: the sweeper puts what Redis did not take back from Postgres.
            LOG.warn("Could not hand {} accepted messages to Redis; the sweeper will: {}", committed.size(), e.toString());
        }
    }
}
