package dev.gatekit.core.queue;

import dev.gatekit.core.queue.DispatchQueue.Entry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one dispatcher holds of the queue, per platform configuration (a lane): targets taken from
 * Redis and not yet claimed, in queue order, and how many of each lane's and each project's
 * targets are claimed and not yet finished. It picks what to claim next in queue order across
 * lanes, inside each lane's and each project's bound, so a configuration whose endpoint is slow
 * fills its own bound and nothing else: another project's message goes past it.
 *
 * <p>A lane may hold claimed twice as many targets as it may be sending ({@link #sendRoom}): the
 * second half waits, leased, to start the moment a send finishes, so claims are made in batches
 * rather than one per finished send.
 *
 * <p>Only the dispatcher thread adds and picks; sends decrement the in-flight counts from whatever
 * thread they finish on.
 */
final class DeliveryLanes {

    /** Targets without a lane (queued by an older GateKit) share this one. */
    static final UUID UNKNOWN_LANE = new UUID(0, 0);

    /** What the dispatcher knows of a lane's configuration. */
    record LaneInfo(UUID projectId, String platform, boolean blocking) {
    }

    /**
     * @param pendingPerLane targets of one lane held here unclaimed; beyond it they are held back in Redis
     * @param pending        targets held here unclaimed, in all; the fetcher stops taking from Redis there
     */
    record Bounds(int perLane, int perLaneBlocking, int perProject, int total, int pendingPerLane, int pending) {
    }

    static final class Lane {
        final UUID id;
        final ArrayDeque<Entry> pending = new ArrayDeque<>();
        /** Claimed and not yet finished: sending, or waiting to send. */
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger sending = new AtomicInteger();
        LaneInfo info;

        Lane(UUID id) {
            this.id = id;
        }
    }

    private final Bounds bounds;
    private final Map<UUID, Lane> lanes = new HashMap<>();
    private final Map<UUID, AtomicInteger> projectInFlight = new ConcurrentHashMap<>();
    private final AtomicInteger totalInFlight = new AtomicInteger();
    private volatile int pendingCount;

    DeliveryLanes(Bounds bounds) {
        this.bounds = bounds;
    }

    /**
     * Adds taken entries to their lanes, in order. Returns, per lane, the entries beyond that lane's
     * share, which the caller holds back in Redis.
     */
    Map<UUID, List<Entry>> add(List<Entry> entries) {
        Map<UUID, List<Entry>> surplus = new LinkedHashMap<>();
        for (Entry entry : entries) {
            UUID id = entry.lane() == null ? UNKNOWN_LANE : entry.lane();
            Lane lane = lanes.computeIfAbsent(id, Lane::new);
            if (lane.pending.size() >= bounds.pendingPerLane() && !id.equals(UNKNOWN_LANE)) {
                surplus.computeIfAbsent(id, k -> new ArrayList<>()).add(entry);
            } else {
                lane.pending.add(entry);
                pendingCount++;
            }
        }
        return surplus;
    }

    /** Lanes with targets waiting here. */
    List<Lane> waiting() {
        return lanes.values().stream().filter(l -> !l.pending.isEmpty()).toList();
    }

    /**
     * How many more of this lane's targets to claim now, before rate limits: none until the lane
     * has room for half its share or for all it holds, so that claims come in batches.
     */
    int room(Lane lane) {
        int laneBound = 2 * sendBound(lane);
        int laneRoom = laneBound - lane.inFlight.get();
        int projectRoom = bounds.perProject() - projectCount(lane.info.projectId()).get();
        int totalRoom = bounds.total() - totalInFlight.get();
        int room = Math.max(0, Math.min(lane.pending.size(), Math.min(laneRoom, Math.min(projectRoom, totalRoom))));
        int share = Math.min(laneBound, Math.min(bounds.perProject(), bounds.total()));
        return room * 2 >= share || room == lane.pending.size() ? room : 0;
    }

    /** How many more of this lane's claimed targets may start sending now. */
    int sendRoom(Lane lane) {
        return Math.max(0, sendBound(lane) - lane.sending.get());
    }

    private int sendBound(Lane lane) {
        return lane.info.blocking() ? bounds.perLaneBlocking() : bounds.perLane();
    }

    /**
     * Takes up to {@code allowed.get(lane)} targets from each lane, in queue order across lanes
     * (priority, then arrival), counting each as in flight from now on.
     */
    List<Picked> pick(Map<Lane, Integer> allowed) {
        PriorityQueue<Lane> byHead = new PriorityQueue<>(Comparator.comparingDouble((Lane l) -> l.pending.peekFirst().score()));
        Map<Lane, Integer> left = new HashMap<>(allowed);
        left.forEach((lane, n) -> {
            if (n > 0 && !lane.pending.isEmpty()) {
                byHead.add(lane);
            }
        });
        List<Picked> picked = new ArrayList<>();
        while (!byHead.isEmpty()) {
            Lane lane = byHead.poll();
            AtomicInteger project = projectCount(lane.info.projectId());
            if (project.get() >= bounds.perProject() || totalInFlight.get() >= bounds.total()) {
                continue;
            }
            picked.add(new Picked(lane, lane.pending.pollFirst()));
            pendingCount--;
            lane.inFlight.incrementAndGet();
            project.incrementAndGet();
            totalInFlight.incrementAndGet();
            int n = left.merge(lane, -1, Integer::sum);
            if (n > 0 && !lane.pending.isEmpty()) {
                byHead.add(lane);
            }
        }
        return picked;
    }

    /** A target picked to claim, with its lane. */
    record Picked(Lane lane, Entry entry) {
    }

    /** A picked target is done (sent, failed, or never claimed): its place in the bounds is free again. */
    void finished(Lane lane) {
        lane.inFlight.decrementAndGet();
        projectCount(lane.info.projectId()).decrementAndGet();
        totalInFlight.decrementAndGet();
    }

    /** Empties a lane (its platform was paused, say) and returns what it held, in order. */
    List<Entry> drain(Lane lane) {
        List<Entry> drained = new ArrayList<>(lane.pending);
        pendingCount -= drained.size();
        lane.pending.clear();
        return drained;
    }

    /** Empties every lane, for a drain: what was taken from Redis and not claimed goes back there. */
    List<Entry> drainAll() {
        List<Entry> all = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            all.addAll(drain(lane));
        }
        forgetIdle();
        return all;
    }

    /** Forgets lanes with nothing waiting and nothing in flight. */
    void forgetIdle() {
        for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
            Lane lane = it.next();
            if (lane.pending.isEmpty() && lane.inFlight.get() == 0) {
                it.remove();
            }
        }
    }

    /** Lanes that hold less than half their share: they can take back targets held in Redis. */
    int roomToTakeBack(UUID laneId) {
        Lane lane = lanes.get(laneId);
        int held = lane == null ? 0 : lane.pending.size();
        return held * 2 < bounds.pendingPerLane() ? bounds.pendingPerLane() - held : 0;
    }

    /** How many more targets may be held here unclaimed, across lanes. */
    int pendingRoom() {
        return bounds.pending() - pendingCount;
    }

    int inFlight() {
        return totalInFlight.get();
    }

    private AtomicInteger projectCount(UUID projectId) {
        return projectInFlight.computeIfAbsent(projectId, id -> new AtomicInteger());
    }
}
