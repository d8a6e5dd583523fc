package dev.gatekit.core.webhooks;

import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.db.OutageBackoff;
import dev.gatekit.core.platforms.PlatformContexts;
import dev.gatekit.core.threads.DaemonThreads;
import dev.gatekit.plugin.api.InboundEvent;
import io.dropwizard.lifecycle.Managed;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events that arrive over a connection a plugin holds (Discord's gateway, say), on their way to
 * storage. A platform sends such an event once and never again, unlike a webhook call it retries
 * when answered 503: so an event Postgres is out of reach for waits here, in memory, and is stored
 * once Postgres is back (a stored event's platform id makes storing it twice a no-op). At most
 * {@link #MAX_WAITING} wait; beyond that the oldest are dropped, which is logged. Events still
 * waiting when the process stops are lost, which is logged too.
 */
public final class ConnectionEvents implements PlatformContexts.ConfigurationInboundSink, Managed {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionEvents.class);
    /** About a minute of a busy bot's traffic, a few megabytes of memory. */
    static final int MAX_WAITING = 10_000;
    private static final long RETRY_MILLIS = 500;

    private record Waiting(UUID configurationId, InboundEvent event) {
    }

    private final PlatformContexts.ConfigurationInboundSink store;
    private final OutageBackoff outageBackoff;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private ScheduledExecutorService timer;

    /** {@code store} stores one event for good, throwing when it cannot. */
    public ConnectionEvents(PlatformContexts.ConfigurationInboundSink store, DatabaseOutage outage) {
        this.store = store;
        this.outageBackoff = new OutageBackoff(outage);
    }

    @Override
    public void publish(UUID configurationId, InboundEvent event) {
        if (waitingCount.get() == 0) {
            try {
                store.publish(configurationId, event);
                return;
            } catch (RuntimeException e) {
                if (!outageBackoff.absorbs(e)) {
                    throw e;
                }
            }
        }
        keep(new Waiting(configurationId, event));
    }

    private void keep(Waiting event) {
        waiting.add(event);
        if (waitingCount.incrementAndGet() > MAX_WAITING && waiting.poll() != null) {
            waitingCount.decrementAndGet();
            if (dropped.getAndIncrement() == 0) {
                LOG.warn("More than {} events from held platform connections are waiting for Postgres; dropping the oldest", MAX_WAITING);
            }
        }
    }

    /** Stores what waits, in arrival order, until Postgres refuses again. */
    void storeWaiting() {
        if (waitingCount.get() == 0 || outageBackoff.waiting()) {
            return;
        }
        int stored = 0;
        for (Waiting next = waiting.peek(); next != null; next = waiting.peek()) {
            try {
                store.publish(next.configurationId(), next.event());
                stored++;
            } catch (RuntimeException e) {
                if (outageBackoff.absorbs(e)) {
                    return;
                }
                LOG.warn("Could not store a {} event from configuration {} held over an outage: {}", next.event().getClass().getSimpleName(),
                        next.configurationId(), e.toString());
            }
            // This one, not the head: keep() may have dropped the head meanwhile to make room.
            if (waiting.remove(next)) {
                waitingCount.decrementAndGet();
            }
        }
        outageBackoff.succeeded();
        int lost = dropped.getAndSet(0);
        LOG.info("Stored {} events from held platform connections that waited for Postgres{}", stored,
                lost > 0 ? "; " + lost + " were dropped" : "");
    }

    @Override
    public void start() {
        timer = DaemonThreads.timer("gatekit-connection-events");
        timer.scheduleWithFixedDelay(this::storeWaitingQuietly, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
        storeWaitingQuietly();
        if (waitingCount.get() > 0) {
            LOG.warn("Stopping with {} events from held platform connections that Postgres did not take; they are lost", waitingCount.get());
        }
    }

    private void storeWaitingQuietly() {
        try {
            storeWaiting();
        } catch (RuntimeException e) {
            LOG.warn("Storing events from held platform connections failed (will try again): {}", e.toString());
        }
    }
}
