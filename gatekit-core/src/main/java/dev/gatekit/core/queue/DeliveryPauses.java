package dev.gatekit.core.queue;

import java.time.Clock;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The operators' pauses of delivery per platform ({@link DispatchQueue#ALL_PLATFORMS} for every
 * one). Postgres is the record, so a pause outlives a flushed or restarted Redis; Redis holds the
 * copy the dispatchers read, and the {@link QueueSweeper} writes it back before it puts any target
 * back in the queue.
 */
public class DeliveryPauses {

    private final DeliveryPauseDao dao;
    private final DispatchQueue queue;
    private final Clock clock;

    public DeliveryPauses(Jdbi jdbi, DispatchQueue queue, Clock clock) {
        this.dao = jdbi.onDemand(DeliveryPauseDao.class);
        this.queue = queue;
        this.clock = clock;
    }

    public void pause(String platform) {
        dao.pause(platform, clock.instant());
        queue.pause(platform);
    }

    /** Resumes one platform, or with {@link DispatchQueue#ALL_PLATFORMS} every pause there is. */
    public void resume(String platform) {
        boolean all = DispatchQueue.ALL_PLATFORMS.equals(platform);
        dao.resume(platform, all);
        if (all) {
            queue.pausedPlatforms().forEach(queue::resume);
        }
        queue.resume(platform);
    }

    public Set<String> paused() {
        return Set.copyOf(dao.paused());
    }

    /** Writes every recorded pause back to Redis (after a flush, Redis knows none). */
    public void restore() {
        dao.paused().forEach(queue::pause);
    }
}
