package dev.gatekit.core.usage;

import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.db.OutageBackoff;
import dev.gatekit.core.db.SqlErrors;
import dev.gatekit.core.threads.DaemonThreads;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts usage as it happens, in memory, and adds it to the {@code usage_counters} rows every
 * flush interval in one batch of upserts, so a busy counter row is written once a second rather
 * than once per message. What has not been flushed when the process dies is lost (at most one
 * interval); a failed flush keeps its counts for the next one, and while Postgres is out of reach
 * the counts wait in memory, flushed once it is back.
 */
public class UsageRecorder implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

    private record Key(UUID projectId, LocalDate day, String platform, String keyId, UsageMetric metric) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration interval;
    private final OutageBackoff outageBackoff;
    private final Map<Key, LongAdder> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public UsageRecorder(Jdbi jdbi, Clock clock, Duration interval, DatabaseOutage outage) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.interval = interval;
        this.outageBackoff = new OutageBackoff(outage);
    }

    public void count(UUID projectId, UsageMetric metric, String platform, String keyId, long n) {
        if (projectId == null || n <= 0) {
            return;
        }
        Key key = new Key(projectId, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), platform == null ? "" : truncate(platform, 32),
                keyId == null ? "" : truncate(keyId, 255), metric);
        pending.computeIfAbsent(key, k -> new LongAdder()).add(n);
    }

    /** Writes everything counted so far; returns how many counter rows it touched. */
    public synchronized int flush() {
        List<Map.Entry<Key, Long>> taken = new ArrayList<>();
        for (Key key : List.copyOf(pending.keySet())) {
            LongAdder adder = pending.get(key);
            if (adder == null) {
                continue;
            }
            long n = adder.sumThenReset();
            if (n > 0) {
                taken.add(Map.entry(key, n));
            }
        }
        if (taken.isEmpty()) {
            return 0;
        }
        try {
            jdbi.useExtension(UsageDao.class, dao -> dao.add(
                    taken.stream().map(e -> e.getKey().projectId()).toList(),
                    taken.stream().map(e -> e.getKey().day()).toList(),
                    taken.stream().map(e -> e.getKey().platform()).toList(),
                    taken.stream().map(e -> e.getKey().keyId()).toList(),
                    taken.stream().map(e -> e.getKey().metric().wireName()).toList(),
                    taken.stream().map(Map.Entry::getValue).toList()));
            outageBackoff.succeeded();
            return taken.size();
        } catch (RuntimeException e) {
            if (outageBackoff.absorbs(e)) {
                // No row could be written: every count waits for the next flush.
                putBack(taken);
                return 0;
            }
            return retryOneByOne(taken, e);
        }
    }

    /** A failed batch is written row by row; a row whose project was deleted meanwhile is dropped, the rest wait. */
    private int retryOneByOne(List<Map.Entry<Key, Long>> taken, RuntimeException batchFailure) {
        LOG.warn("Could not write usage counters in one batch: {}", batchFailure.toString());
        int written = 0;
        for (int i = 0; i < taken.size(); i++) {
            Map.Entry<Key, Long> entry = taken.get(i);
            Key key = entry.getKey();
            try {
                jdbi.useExtension(UsageDao.class, dao -> dao.add(List.of(key.projectId()), List.of(key.day()),
                        List.of(key.platform()), List.of(key.keyId()), List.of(key.metric().wireName()), List.of(entry.getValue())));
                written++;
            } catch (RuntimeException e) {
                if (outageBackoff.absorbs(e)) {
                    putBack(taken.subList(i, taken.size()));
                    return written;
                }
                if (!SqlErrors.isForeignKeyViolation(e)) {
                    putBack(List.of(entry));
                }
            }
        }
        return written;
    }

    private void putBack(List<Map.Entry<Key, Long>> counts) {
        counts.forEach(e -> pending.computeIfAbsent(e.getKey(), k -> new LongAdder()).add(e.getValue()));
    }

    @Override
    public void start() {
        timer = DaemonThreads.timer("gatekit-usage-flush");
        timer.scheduleWithFixedDelay(() -> {
            if (!outageBackoff.waiting()) {
                flushQuietly();
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        if (timer != null) {
            timer.shutdown();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
        flushQuietly();
        long unwritten = pending.values().stream().mapToLong(LongAdder::sum).sum();
        if (unwritten > 0) {
            LOG.warn("Stopping with {} usage counts Postgres did not take; they are not recorded", unwritten);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            if (!outageBackoff.absorbs(e)) {
                LOG.warn("Usage flush failed: {}", e.toString());
            }
        }
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
