package dev.gatekit.core.retention;

import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.threads.DaemonThreads;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link RetentionPruner} once a day at the configured UTC time. Every instance may run it:
 * batches skip rows another instance has locked and pruned rows are not picked again, so running
 * twice only costs a few empty queries. A run Postgres was out of reach for is tried again within
 * minutes rather than the next day.
 */
public class RetentionJob implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
    /** Long enough not to add to an outage, short enough that a day's pruning is not skipped for a brief one. */
    private static final Duration AFTER_OUTAGE = Duration.ofMinutes(5);

    private final RetentionPruner pruner;
    private final RetentionSettings settings;
    private final Clock clock;
    private final DatabaseOutage outage;
    private ScheduledExecutorService timer;

    public RetentionJob(RetentionPruner pruner, RetentionSettings settings, Clock clock, DatabaseOutage outage) {
        this.pruner = pruner;
        this.settings = settings;
        this.clock = clock;
        this.outage = outage;
    }

    @Override
    public void start() {
        timer = DaemonThreads.timer("gatekit-retention");
        schedule(untilNext(clock.instant(), settings.runAt()));
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    static Duration untilNext(Instant now, java.time.LocalTime runAt) {
        ZonedDateTime current = now.atZone(ZoneOffset.UTC);
        ZonedDateTime next = current.toLocalDate().atTime(runAt).atZone(ZoneOffset.UTC);
        if (!next.isAfter(current)) {
            next = next.plusDays(1);
        }
        return Duration.between(current, next);
    }

    private void schedule(Duration delay) {
        timer.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        Duration next = null;
        try {
            pruner.pruneNow();
        } catch (RuntimeException e) {
            if (outage.absorbs(e)) {
                next = AFTER_OUTAGE;
            } else {
                LOG.warn("Retention prune failed (will run again tomorrow): {}", e.toString());
            }
        } finally {
            if (!timer.isShutdown()) {
                schedule(next != null ? next : untilNext(clock.instant(), settings.runAt()));
            }
        }
    }
}
