package dev.gatekit.core.queue;

import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.db.OutageBackoff;
import dev.gatekit.core.messages.MessageDao.PendingTarget;
import dev.gatekit.core.messages.MessageStore;
import dev.gatekit.core.messages.TargetState;
import dev.gatekit.core.platforms.StoredPlatformConfiguration;
import dev.gatekit.core.plugins.LoadedPlatform;
import dev.gatekit.core.plugins.PlatformListener;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.core.threads.DaemonThreads;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes "accepted means never lost" true when processes die or Redis forgets. On a timer it
 * gives back targets whose holder's lease expired and wakes targets waiting for a plugin that is
 * now loaded, releases targets parked for a platform that is no longer paused; and it puts every
 * pending target back in Redis from Postgres, but only when Redis may have lost some (the pauses
 * first, so nothing of a paused platform goes out meanwhile):
 * <ul>
 *   <li>when this process starts (the one before it may have died between a commit and Redis);</li>
 *   <li>when Redis comes back empty (flushed or restarted: the epoch mark is gone);</li>
 *   <li>when a write to Redis failed here (Redis was down or the breaker open);</li>
 *   <li>when another process stopped sending heartbeats (it may have died holding targets it took
 *       from Redis but had not claimed, or had committed but not yet queued).</li>
 * </ul>
 * Targets merely waiting in a backlog are left alone. Every instance runs one; all they do is
 * idempotent (Redis takes an id it already holds as a no-op, a claim takes a target once).
 */
public class QueueSweeper implements Managed, PlatformListener {

    private static final Logger LOG = LoggerFactory.getLogger(QueueSweeper.class);
    private static final int PAGE = 2_000;

    private final QueueSettings settings;
    private final DispatchQueue queue;
    private final DeliveryPauses pauses;
    private final MessageStore store;
    private final PlatformRegistry registry;
    private final Clock clock;
    private final String instance;
    private final DatabaseOutage outage;
    private final OutageBackoff outageBackoff;
    private volatile boolean mayHaveLost = true;
    private Instant lastRebuild = Instant.MIN;
    private ScheduledExecutorService timer;

    public QueueSweeper(QueueSettings settings, DispatchQueue queue, DeliveryPauses pauses, MessageStore store, PlatformRegistry registry,
                        Clock clock, String instance, DatabaseOutage outage) {
        this.settings = settings;
        this.queue = queue;
        this.pauses = pauses;
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.instance = instance;
        this.outage = outage;
        this.outageBackoff = new OutageBackoff(outage);
    }

    @Override
    public void start() {
        registry.addListener(this);
        timer = DaemonThreads.timer("gatekit-queue-sweeper");
        long interval = settings.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        registry.removeListener(this);
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    @Override
    public void platformAdded(LoadedPlatform platform) {
        try {
            requeue(store.wakeWaiting(List.of(platform.platformId()), true));
        } catch (RuntimeException e) {
            if (!outage.absorbs(e)) {
                LOG.warn("Could not wake messages waiting for {}: {}; the sweeper will", platform.platformId(), e.toString());
            }
        }
    }

    /** A configuration was saved: its targets that waited for a required setting may go now. */
    public void configurationSaved(StoredPlatformConfiguration saved) {
        try {
            requeue(store.wakeIncomplete(saved.id()));
        } catch (RuntimeException e) {
            if (!outage.absorbs(e)) {
                LOG.warn("Could not wake messages waiting for settings of configuration {}: {}", saved.id(), e.toString());
            }
        }
    }

    /** One pass; returns how many targets it handed back to Redis. */
    public int sweep() {
        Instant started = clock.instant();
        noticeLosses();
        if (mayHaveLost) {
            pauses.restore();
        }
        queue.releaseUnpaused();
        int requeued = requeue(store.expireLeases());
        requeued += requeue(store.wakeWaiting(registry.all().stream().map(LoadedPlatform::platformId).toList(), false));
        if (mayHaveLost) {
            requeued += rebuild();
            lastRebuild = started;
            mayHaveLost = false;
        }
        return requeued;
    }

    /** Whether Redis may have lost pending targets since the last rebuild. */
    private void noticeLosses() {
        try {
            queue.heartbeat(instance);
            if (queue.markEpoch()) {
                LOG.info("Redis holds no queue yet (new, flushed or restarted): putting every pending message back from Postgres");
                mayHaveLost = true;
            }
            for (String silent : queue.silentInstances(settings.instanceSilence())) {
                if (!silent.equals(instance) && queue.forgetInstance(silent)) {
                    LOG.info("GateKit instance {} stopped answering: putting back what it may have held", silent);
                    mayHaveLost = true;
                }
            }
        } catch (RuntimeException e) {
            // Redis is down: whatever is written meanwhile may miss it, so rebuild once it answers.
            mayHaveLost = true;
            throw e;
        }
        Instant failed = queue.lastWriteFailure();
        if (failed != null && !failed.isBefore(lastRebuild)) {
            mayHaveLost = true;
        }
    }

    /** Puts every queued and delayed target back in Redis at its time, a page per round trip. */
    private int rebuild() {
        int total = 0;
        for (TargetState state : List.of(TargetState.QUEUED, TargetState.DELAYED)) {
            UUID after = new UUID(0, 0);
            while (true) {
                List<PendingTarget> page = store.pendingAfter(state, after, PAGE);
                total += requeue(page);
                if (page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).id();
            }
        }
        if (total > 0) {
            LOG.info("Put {} pending targets back in Redis", total);
        }
        return total;
    }

    private void sweepQuietly() {
        if (outageBackoff.waiting()) {
            return;
        }
        try {
            sweep();
            outageBackoff.succeeded();
        } catch (RuntimeException e) {
            if (!outageBackoff.absorbs(e)) {
                LOG.warn("Queue sweep failed (will try again): {}", e.toString());
            }
        }
    }

    private int requeue(List<PendingTarget> targets) {
        if (!targets.isEmpty()) {
            queue.dispatch(targets.stream().map(t -> new DispatchQueue.Scheduled(
                    DispatchQueue.Entry.now(t.id(), t.priority(), t.configurationId(), clock), t.nextAttemptAt())).toList());
        }
        return targets.size();
    }
}
