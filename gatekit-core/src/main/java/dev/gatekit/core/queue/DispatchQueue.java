package dev.gatekit.core.queue;

import dev.gatekit.core.messages.Priority;
import dev.gatekit.core.redis.RedisBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RScript;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.ScoredEntry;

/**
 * The dispatch side of the queue, in Redis: which targets are ready to deliver, in priority then
 * arrival order, and which wait for a time. Redis holds only ids; Postgres is the record, so
 * anything lost here is put back from Postgres by the {@link QueueSweeper}.
 *
 * <p>A member reads {@code <priority rank>:<target id>}, or {@code <rank>:<target id>:<lane>}
 * where the lane is the platform configuration the target goes through, so a dispatcher can keep
 * each configuration's work apart before it touches Postgres. In {@code ready} a member's score is
 * {@code rank * 10^13 + enqueue millis}, so every high-priority target comes before any normal one;
 * in {@code delayed} its score is the time it becomes due.
 *
 * <p>Every call that writes more than one member is one Redis command or one pipelined batch.
 */
public class DispatchQueue {

    public static final String ALL_PLATFORMS = "*";

    private static final double RANK_WEIGHT = 1e13;
    private static final int PROMOTE_BATCH = 2_000;
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

    /** Pops up to ARGV[1] held members of one lane, and forgets the lane once its set is empty. */
    private static final String TAKE_HELD = """
            local taken = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[1]))
            if redis.call('ZCARD', KEYS[1]) == 0 then
              redis.call('SREM', KEYS[2], ARGV[2])
            end
            return taken
            """;

    /**
     * A target in the queue.
     *
     * @param lane  the platform configuration it goes through, or null (event deliveries have none)
     * @param score its place in {@code ready}: priority first, then when it was enqueued
     */
    public record Entry(UUID targetId, Priority priority, UUID lane, double score) {

        public static Entry now(UUID targetId, Priority priority, UUID lane, Clock clock) {
            return new Entry(targetId, priority, lane, priority.rank() * RANK_WEIGHT + clock.millis());
        }

        String member() {
            return lane == null ? priority.rank() + ":" + targetId : priority.rank() + ":" + targetId + ":" + lane;
        }

        static Entry parse(String member, double score) {
            UUID lane = member.length() > 38 ? UUID.fromString(member.substring(39)) : null;
            return new Entry(UUID.fromString(member.substring(2, 38)), Priority.ofRank(member.charAt(0) - '0'), lane, score);
        }
    }

    /** An entry that becomes ready at {@code due}. */
    public record Scheduled(Entry entry, Instant due) {
    }

    private final RedissonClient redisson;
    private final RScoredSortedSet<String> ready;
    private final RScoredSortedSet<String> delayed;
    private final RSet<String> paused;
    private final RSet<String> parkedPlatforms;
    private final RSet<String> heldLanes;
    private final RScoredSortedSet<String> instances;
    private final String prefix;
    private final Clock clock;
    private final RedisBreaker breaker;
    private volatile Set<String> pausedSnapshot = Set.of();
    private volatile long pausedReadAt;
    private volatile Instant lastWriteFailure;

    public DispatchQueue(RedissonClient redisson, RedisBreaker breaker, String keyPrefix, Clock clock) {
        this.redisson = redisson;
        this.breaker = breaker;
        this.prefix = keyPrefix;
        this.ready = redisson.getScoredSortedSet(keyPrefix + "queue:ready", StringCodec.INSTANCE);
        this.delayed = redisson.getScoredSortedSet(keyPrefix + "queue:delayed", StringCodec.INSTANCE);
        this.paused = redisson.getSet(keyPrefix + "queue:paused", StringCodec.INSTANCE);
        this.parkedPlatforms = redisson.getSet(keyPrefix + "queue:parked-platforms", StringCodec.INSTANCE);
        this.heldLanes = redisson.getSet(keyPrefix + "queue:held-lanes", StringCodec.INSTANCE);
        this.instances = redisson.getScoredSortedSet(keyPrefix + "queue:instances", StringCodec.INSTANCE);
        this.clock = clock;
    }

    /** Makes a target ready now; a target already waiting keeps its place. */
    public void enqueue(UUID targetId, Priority priority) {
        enqueueAll(List.of(Entry.now(targetId, priority, null, clock)));
    }

    /** Makes targets ready, in one command; those already waiting keep their place. */
    public void enqueueAll(Collection<Entry> entries) {
        if (!entries.isEmpty()) {
            write(() -> ready.addAllIfAbsent(scores(entries)));
        }
    }

    /** Makes a target ready at {@code due}, or now when that has passed. */
    public void schedule(UUID targetId, Priority priority, Instant due) {
        dispatch(List.of(new Scheduled(Entry.now(targetId, priority, null, clock), due)));
    }

    /** Makes each entry ready at its time (now, when that has passed), in one round trip. */
    public void dispatch(Collection<Scheduled> scheduled) {
        Instant now = clock.instant();
        List<Entry> readyNow = new ArrayList<>();
        Map<String, Double> later = new LinkedHashMap<>();
        for (Scheduled s : scheduled) {
            if (s.due() == null || !s.due().isAfter(now)) {
                readyNow.add(s.entry());
            } else {
                later.put(s.entry().member(), (double) s.due().toEpochMilli());
            }
        }
        if (later.isEmpty()) {
            enqueueAll(readyNow);
            return;
        }
        write(() -> {
            RBatch batch = redisson.createBatch(BatchOptions.defaults());
            if (!readyNow.isEmpty()) {
                batch.<String>getScoredSortedSet(ready.getName(), StringCodec.INSTANCE).addAllIfAbsentAsync(scores(readyNow));
            }
            batch.<String>getScoredSortedSet(delayed.getName(), StringCodec.INSTANCE).addAllAsync(later);
            batch.execute();
        });
    }

    /** Waits up to {@code timeout} for a ready target; each is handed to one caller only. */
    public Optional<Entry> take(Duration timeout) {
        String member = ready.pollFirst(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.ofNullable(member).map(m -> Entry.parse(m, 0));
    }

    /**
     * Takes up to {@code max} ready targets in queue order; when none is ready, waits up to
     * {@code wait} for one (then takes what else is there). Each is handed to one caller only.
     */
    public List<Entry> takeBatch(int max, Duration wait) {
        List<Entry> taken = new ArrayList<>();
        for (ScoredEntry<String> e : ready.pollFirstEntries(max)) {
            taken.add(Entry.parse(e.getValue(), e.getScore()));
        }
        if (taken.isEmpty() && !wait.isZero()) {
            String first = ready.pollFirst(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                Entry entry = Entry.parse(first, 0);
                taken.add(new Entry(entry.targetId(), entry.priority(), entry.lane(), entry.priority().rank() * RANK_WEIGHT + clock.millis()));
                if (max > 1) {
                    for (ScoredEntry<String> e : ready.pollFirstEntries(max - 1)) {
                        taken.add(Entry.parse(e.getValue(), e.getScore()));
                    }
                }
            }
        }
        return taken;
    }

    /** Moves targets whose time has come from delayed to ready; returns how many moved. */
    public long promoteDue() {
        Long moved = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, PROMOTE_DUE, RScript.ReturnType.INTEGER,
                List.of(delayed.getName(), ready.getName()), Long.toString(clock.millis()), Integer.toString(PROMOTE_BATCH));
        return moved == null ? 0 : moved;
    }

    public void pause(String platform) {
        paused.add(platform);
        Set<String> snapshot = new java.util.HashSet<>(pausedSnapshot);
        snapshot.add(platform);
        pausedSnapshot = Set.copyOf(snapshot);
    }

    /**
     * Sets targets of a paused platform aside, keeping their place (priority, then arrival), until
     * the platform is resumed.
     */
    public void park(String platform, Collection<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        write(() -> {
            RBatch batch = redisson.createBatch(BatchOptions.defaults());
            batch.<String>getSet(parkedPlatforms.getName(), StringCodec.INSTANCE).addAsync(platform);
            batch.<String>getScoredSortedSet(parked(platform).getName(), StringCodec.INSTANCE).addAllIfAbsentAsync(scores(entries));
            batch.execute();
        });
    }

    /** Resumes a platform ({@code *}: every platform): its parked targets go back to ready in their order. */
    public void resume(String platform) {
        paused.remove(platform);
        Set<String> snapshot = new java.util.HashSet<>(pausedSnapshot);
        snapshot.remove(platform);
        pausedSnapshot = Set.copyOf(snapshot);
        Set<String> platforms = ALL_PLATFORMS.equals(platform) ? parkedPlatforms.readAll() : Set.of(platform);
        for (String name : platforms) {
            RScoredSortedSet<String> set = parked(name);
            redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, UNPARK, RScript.ReturnType.INTEGER,
                    List.of(ready.getName(), set.getName()));
            parkedPlatforms.remove(name);
        }
    }

    /**
     * Puts back in ready the parked targets of platforms no longer paused: a dispatcher that parked
     * on a stale view of the pause (it just ended, or Redis was flushed) strands nothing for long.
     * Returns the platforms it released.
     */
    public Set<String> releaseUnpaused() {
        return breaker.call(() -> {
            Set<String> pausedNow = paused.readAll();
            if (pausedNow.contains(ALL_PLATFORMS)) {
                return Set.of();
            }
            Set<String> released = new java.util.HashSet<>(parkedPlatforms.readAll());
            released.removeAll(pausedNow);
            released.forEach(this::resume);
            return released;
        });
    }

    private RScoredSortedSet<String> parked(String platform) {
        return redisson.getScoredSortedSet(prefix + "queue:parked:" + platform, StringCodec.INSTANCE);
    }

    public Set<String> pausedPlatforms() {
        return breaker.call(paused::readAll);
    }

    /**
     * The paused platforms as read at most {@code maxAge} ago: a pause on this instance is seen at
     * once, one on another instance within {@code maxAge}; while Redis cannot be read, the last
     * set read stands. {@code *} pauses every platform.
     */
    public Set<String> pausedPlatforms(Duration maxAge) {
        long now = clock.millis();
        if (now - pausedReadAt > maxAge.toMillis()) {
            pausedReadAt = now;
            try {
                pausedSnapshot = Set.copyOf(pausedPlatforms());
            } catch (RuntimeException e) {
                // Keep what was read last: forgetting a pause because Redis blinked would send what an operator held back.
            }
        }
        return pausedSnapshot;
    }

    /**
     * When a write to Redis last failed (null if never): what was not written then is only in
     * Postgres, and the sweeper puts it back once Redis answers.
     */
    public Instant lastWriteFailure() {
        return lastWriteFailure;
    }

    private void write(Runnable operation) {
        try {
            breaker.run(operation);
        } catch (RuntimeException e) {
            lastWriteFailure = clock.instant();
            throw e;
        }
    }

    /**
     * Sets a lane's surplus aside in Redis, in its order, when a dispatcher already holds as much
     * of that lane as it can use; any dispatcher takes it back with {@link #takeHeld}.
     */
    public void holdBack(UUID lane, Collection<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        write(() -> {
            RBatch batch = redisson.createBatch(BatchOptions.defaults());
            batch.<String>getScoredSortedSet(held(lane), StringCodec.INSTANCE).addAllIfAbsentAsync(scores(entries));
            batch.<String>getSet(heldLanes.getName(), StringCodec.INSTANCE).addAsync(lane.toString());
            batch.execute();
        });
    }

    /** Takes up to {@code max} of a lane's held targets, oldest first. */
    public List<Entry> takeHeld(UUID lane, int max) {
        List<Object> flat = breaker.call(() -> redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, TAKE_HELD,
                RScript.ReturnType.MULTI, List.of(held(lane), heldLanes.getName()), Integer.toString(max), lane.toString()));
        List<Entry> taken = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            taken.add(Entry.parse(flat.get(i).toString(), Double.parseDouble(flat.get(i + 1).toString())));
        }
        return taken;
    }

    /** The lanes that have targets held back. */
    public Set<UUID> heldLanes() {
        Set<UUID> lanes = new java.util.HashSet<>();
        for (String lane : breaker.call(heldLanes::readAll)) {
            lanes.add(UUID.fromString(lane));
        }
        return lanes;
    }

    private String held(UUID lane) {
        return prefix + "queue:held:" + lane;
    }

    /**
     * Marks this Redis as holding GateKit's queue. True when the mark was missing: Redis was
     * flushed or restarted empty since the last call, so every pending target must be put back.
     */
    public boolean markEpoch() {
        return breaker.call(() -> redisson.<String>getBucket(prefix + "queue:epoch", StringCodec.INSTANCE)
                .setIfAbsent(Long.toString(clock.millis())));
    }

    /** Records that {@code instance} is alive now. */
    public void heartbeat(String instance) {
        breaker.run(() -> instances.add(clock.millis(), instance));
    }

    /** Instances whose last heartbeat is older than {@code silence}. */
    public Collection<String> silentInstances(Duration silence) {
        return breaker.call(() -> instances.valueRange(Double.NEGATIVE_INFINITY, true, clock.millis() - silence.toMillis(), true));
    }

    /** Forgets an instance; true for the one caller that removed it, so exactly one survivor cleans up after it. */
    public boolean forgetInstance(String instance) {
        return breaker.call(() -> instances.remove(instance));
    }

    public int readySize() {
        return ready.size();
    }

    public int delayedSize() {
        return delayed.size();
    }

    private static Map<String, Double> scores(Collection<Entry> entries) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Entry e : entries) {
            scores.put(e.member(), e.score());
        }
        return scores;
    }
}
