package dev.gatekit.core.queue;

import dev.gatekit.core.messages.Priority;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import dev.gatekit.core.redis.RedisBreaker;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RScript;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The dispatch side of the queue, in Redis: which targets are ready to deliver, in priority then
 * arrival order, and which wait for a time. Redis holds only ids; Postgres is the record, so
 * anything lost here is put back by the {@link QueueSweeper}.
 *
 * <p>A member reads {@code <priority rank>:<target id>}. In {@code ready} its score is
 * {@code rank * 10^13 + enqueue millis}, so every high-priority target comes before any normal one;
 * in {@code delayed} its score is the time it becomes due.
 */
public class DispatchQueue {

    private static final double RANK_WEIGHT = 1e13;
    private static final int PROMOTE_BATCH = 500;
    private static final String PROMOTE_DUE = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            for _, member in ipairs(due) do
              redis.call('ZREM', KEYS[1], member)
              local rank = tonumber(string.sub(member, 1, 1))
              redis.call('ZADD', KEYS[2], 'NX', rank * 10000000000000 + tonumber(ARGV[1]), member)
            end
            return #due
            """;

    private static final String UNPARK = """
            local n = redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MIN')
            redis.call('DEL', KEYS[2])
            return n
            """;

    /** A target taken from the ready set. */
    public record Entry(UUID targetId, Priority priority) {
    }

    private final RedissonClient redisson;
    private final RScoredSortedSet<String> ready;
    private final RScoredSortedSet<String> delayed;
    private final RSet<String> paused;
    private final RSet<String> parkedPlatforms;
    private final String parkedPrefix;
    private final Clock clock;
    private final RedisBreaker breaker;

    public DispatchQueue(RedissonClient redisson, RedisBreaker breaker, String keyPrefix, Clock clock) {
        this.redisson = redisson;
        this.breaker = breaker;
        this.ready = redisson.getScoredSortedSet(keyPrefix + "queue:ready", StringCodec.INSTANCE);
        this.delayed = redisson.getScoredSortedSet(keyPrefix + "queue:delayed", StringCodec.INSTANCE);
        this.paused = redisson.getSet(keyPrefix + "queue:paused", StringCodec.INSTANCE);
        this.parkedPlatforms = redisson.getSet(keyPrefix + "queue:parked-platforms", StringCodec.INSTANCE);
        this.parkedPrefix = keyPrefix + "queue:parked:";
        this.clock = clock;
    }

    /** Makes a target ready now; a target already waiting keeps its place. */
    public void enqueue(UUID targetId, Priority priority) {
        breaker.run(() -> ready.addIfAbsent(priority.rank() * RANK_WEIGHT + clock.millis(), member(targetId, priority)));
    }

    /** Makes a target ready at {@code due}, or now when that has passed. */
    public void schedule(UUID targetId, Priority priority, Instant due) {
        if (due == null || !due.isAfter(clock.instant())) {
            enqueue(targetId, priority);
        } else {
            breaker.run(() -> delayed.add(due.toEpochMilli(), member(targetId, priority)));
        }
    }

    /** Waits up to {@code timeout} for a ready target; each is handed to one caller only. */
    public Optional<Entry> take(Duration timeout) {
        String member = ready.pollFirst(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.ofNullable(member).map(DispatchQueue::parse);
    }

    /** Moves targets whose time has come from delayed to ready; returns how many moved. */
    public long promoteDue() {
        Long moved = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, PROMOTE_DUE, RScript.ReturnType.INTEGER,
                List.of(delayed.getName(), ready.getName()), Long.toString(clock.millis()), Integer.toString(PROMOTE_BATCH));
        return moved == null ? 0 : moved;
    }

    public void pause(String platform) {
        paused.add(platform);
    }

    /**
     * Sets a target of a paused platform aside, keeping its place (priority, then arrival), until
     * the platform is resumed.
     */
    public void park(UUID targetId, Priority priority, String platform) {
        breaker.run(() -> {
            parkedPlatforms.add(platform);
            parked(platform).addIfAbsent(priority.rank() * RANK_WEIGHT + clock.millis(), member(targetId, priority));
        });
    }

    /** Resumes a platform ({@code *}: every platform): its parked targets go back to ready in their order. */
    public void resume(String platform) {
        paused.remove(platform);
        Set<String> platforms = ALL_PLATFORMS.equals(platform) ? parkedPlatforms.readAll() : Set.of(platform);
        for (String name : platforms) {
            RScoredSortedSet<String> set = parked(name);
            redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, UNPARK, RScript.ReturnType.INTEGER,
                    List.of(ready.getName(), set.getName()));
            parkedPlatforms.remove(name);
        }
    }

    private RScoredSortedSet<String> parked(String platform) {
        return redisson.getScoredSortedSet(parkedPrefix + platform, StringCodec.INSTANCE);
    }

    public Set<String> pausedPlatforms() {
        return breaker.call(paused::readAll);
    }

    /** {@code *} in the paused set pauses every platform. */
    public boolean isPaused(String platform) {
        Set<String> all = pausedPlatforms();
        return all.contains(platform) || all.contains(ALL_PLATFORMS);
    }

    public static final String ALL_PLATFORMS = "*";

    public int readySize() {
        return ready.size();
    }

    public int delayedSize() {
        return delayed.size();
    }

    private static String member(UUID targetId, Priority priority) {
        return priority.rank() + ":" + targetId;
    }

    private static Entry parse(String member) {
        return new Entry(UUID.fromString(member.substring(2)), Priority.ofRank(member.charAt(0) - '0'));
    }
}
