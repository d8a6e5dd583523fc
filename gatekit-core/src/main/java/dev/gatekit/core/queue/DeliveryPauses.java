package dev.gatekit.core.queue;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The operators' pauses of delivery per platform ({@link DispatchQueue#ALL_PLATFORMS} for every
 * one). Postgres is the record, so a pause outlives a flushed or restarted Redis; Redis holds the
 * copy the dispatchers read, and the {@link QueueSweeper} writes it back before it puts any target
 * back in the queue.
 */
public class DeliveryPauses {

    private final Jdbi jdbi;
    private final DispatchQueue queue;
    private final Clock clock;

    public DeliveryPauses(Jdbi jdbi, DispatchQueue queue, Clock clock) {
        this.jdbi = jdbi;
        this.queue = queue;
        this.clock = clock;
    }

    public void pause(String platform) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "INSERT INTO delivery_pauses (platform, paused_at) VALUES (:platform, :now) ON CONFLICT (platform) DO NOTHING")
                .bind("platform", platform).bind("now", clock.instant()).execute());
        queue.pause(platform);
    }

    /** Resumes one platform, or with {@link DispatchQueue#ALL_PLATFORMS} every pause there is. */
    public void resume(String platform) {
        boolean all = DispatchQueue.ALL_PLATFORMS.equals(platform);
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM delivery_pauses WHERE platform = :platform OR :all")
                .bind("platform", platform).bind("all", all).execute());
        if (all) {
            queue.pausedPlatforms().forEach(queue::resume);
        }
        queue.resume(platform);
    }

    public Set<String> paused() {
        return Set.copyOf(recorded());
    }

    /** Writes every recorded pause back to Redis (after a flush, Redis knows none). */
    public void restore() {
        recorded().forEach(queue::pause);
    }

    private List<String> recorded() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT platform FROM delivery_pauses ORDER BY platform")
                .mapTo(String.class).list());
    }
}
