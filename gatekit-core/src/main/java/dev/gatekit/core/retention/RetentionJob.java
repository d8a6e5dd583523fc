package dev.gatekit.core.retention;

import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link RetentionPruner} once a day at the configured UTC time. Every instance may run it:
 * batches skip rows another instance has locked and pruned rows are not picked again, so running
 * twice only costs a few empty queries.
 */
public class RetentionJob implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    private final RetentionPruner pruner;
    private final RetentionSettings settings;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public RetentionJob(RetentionPruner pruner, RetentionSettings settings, Clock clock) {
        this.pruner = pruner;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatekit-retention");
            thread.setDaemon(true);
            return thread;
        });
        scheduleNext();
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

    private void scheduleNext() {
        Duration delay = untilNext(clock.instant(), settings.runAt());
        timer.schedule(() -> {
            try {
                pruner.pruneNow();
            } catch (RuntimeException e) {
                LOG.warn("Retention prune failed (will run again tomorrow): {}", e.toString());
            } finally {
                if (!timer.isShutdown()) {
                    scheduleNext();
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
