package dev.gatekit.core.queue;

import dev.gatekit.core.messages.MessageDao;
import dev.gatekit.core.messages.MessageStore;
import dev.gatekit.core.messages.TargetRecord;
import dev.gatekit.core.plugins.LoadedPlatform;
import dev.gatekit.core.plugins.PlatformListener;
import dev.gatekit.core.plugins.PlatformRegistry;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes "accepted means never lost" true when workers die or Redis forgets: on a timer, it
 * returns targets whose worker's lease expired to the queue, re-adds to Redis every queued or
 * delayed target that has sat longer than it should (Redis may have been flushed or down; an id
 * already there is left alone), and wakes targets waiting for a plugin that is now loaded.
 * Every instance runs one; all they do is idempotent.
 */
public class QueueSweeper implements Managed, PlatformListener {

    private static final Logger LOG = LoggerFactory.getLogger(QueueSweeper.class);
    private static final int BATCH = 2_000;

    private final QueueSettings settings;
    private final DispatchQueue queue;
    private final MessageStore store;
    private final PlatformRegistry registry;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public QueueSweeper(QueueSettings settings, DispatchQueue queue, MessageStore store, PlatformRegistry registry, Clock clock) {
        this.settings = settings;
        this.queue = queue;
        this.store = store;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void start() {
        registry.addListener(this);
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatekit-queue-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long interval = settings.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, interval, interval, TimeUnit.MILLISECONDS);
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
            requeue(store.wakeWaiting(List.of(platform.platformId())));
        } catch (RuntimeException e) {
            LOG.warn("Could not wake messages waiting for {}: {}; the sweeper will", platform.platformId(), e.toString());
        }
    }

    /** One pass; returns how many targets it handed back to Redis. */
    public int sweep() {
        int requeued = requeue(store.expireLeases());
        requeued += requeue(store.wakeWaiting(registry.all().stream().map(LoadedPlatform::platformId).toList()));
        MessageDao dao = store.dao();
        // Only targets due by the next sweep: one scheduled for next month is re-added when its time comes,
        // and thousands of such never crowd out the ones due now.
        Instant now = clock.instant();
        List<MessageDao.PendingTarget> stale = dao.pendingSince(now.minus(settings.staleAfter()), now.plus(settings.sweepInterval()), BATCH);
        for (MessageDao.PendingTarget target : stale) {
            queue.schedule(target.id(), target.priority(), target.nextAttemptAt());
        }
        return requeued + stale.size();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Queue sweep failed (will try again): {}", e.toString());
        }
    }

    private int requeue(List<TargetRecord> targets) {
        for (TargetRecord target : targets) {
            store.dao().findMessage(target.messageId())
                    .ifPresent(message -> queue.schedule(target.id(), message.priority(), target.nextAttemptAt()));
        }
        return targets.size();
    }
}
