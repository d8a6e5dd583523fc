package dev.gatekit.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.core.messages.Priority;
import dev.gatekit.core.queue.DeliveryLanes.Lane;
import dev.gatekit.core.queue.DeliveryLanes.LaneInfo;
import dev.gatekit.core.queue.DeliveryLanes.Picked;
import dev.gatekit.core.queue.DispatchQueue.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryLanesTest {

    static final UUID PROJECT_A = UUID.randomUUID();
    static final UUID PROJECT_B = UUID.randomUUID();
    static final UUID LANE_A = UUID.randomUUID();
    static final UUID LANE_A2 = UUID.randomUUID();
    static final UUID LANE_B = UUID.randomUUID();

    private double clock = 1e13;

    private Entry entry(UUID lane, Priority priority) {
        clock += 1;
        return new Entry(UUID.randomUUID(), priority, lane, priority.rank() * 1e13 + clock);
    }

    private List<Entry> entries(UUID lane, int n) {
        List<Entry> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(entry(lane, Priority.NORMAL));
        }
        return list;
    }

    /** Picks everything each waiting lane has room for, as the dispatcher does when rate limits allow. */
    private static List<Picked> pickAll(DeliveryLanes lanes) {
        Map<Lane, Integer> allowed = new HashMap<>();
        for (Lane lane : lanes.waiting()) {
            allowed.put(lane, lanes.room(lane));
        }
        return lanes.pick(allowed);
    }

    private static void describe(DeliveryLanes lanes) {
        for (Lane lane : lanes.waiting()) {
            UUID project = lane.id.equals(LANE_B) ? PROJECT_B : PROJECT_A;
            lane.info = new LaneInfo(project, "webhook", false);
        }
    }

    @Test
    void aLaneAtItsBoundLeavesRoomForOtherLanes() {
        DeliveryLanes lanes = new DeliveryLanes(new DeliveryLanes.Bounds(4, 1, 100, 100, 1000, 10_000));
        lanes.add(entries(LANE_A, 50));
        lanes.add(entries(LANE_B, 1));
        describe(lanes);

        List<Picked> first = pickAll(lanes);

        // A lane claims twice what it may send: the second half waits, leased, to start as sends finish.
        assertThat(first).filteredOn(p -> p.lane().id.equals(LANE_A)).hasSize(8);
        assertThat(first).filteredOn(p -> p.lane().id.equals(LANE_B)).hasSize(1);
        Lane laneA = first.get(0).lane().id.equals(LANE_A) ? first.get(0).lane() : first.get(1).lane();
        assertThat(lanes.sendRoom(laneA)).isEqualTo(4);
        assertThat(pickAll(lanes)).as("lane A is full until sends finish").isEmpty();

        lanes.finished(laneA);
        assertThat(pickAll(lanes)).as("one free place is not worth a claim of its own").isEmpty();
        for (int i = 0; i < 3; i++) {
            lanes.finished(laneA);
        }
        assertThat(pickAll(lanes)).hasSize(4);
    }

    @Test
    void aProjectsLanesShareTheProjectsBound() {
        DeliveryLanes lanes = new DeliveryLanes(new DeliveryLanes.Bounds(10, 1, 6, 100, 1000, 10_000));
        lanes.add(entries(LANE_A, 10));
        lanes.add(entries(LANE_A2, 10));
        lanes.add(entries(LANE_B, 10));
        describe(lanes);

        List<Picked> picked = pickAll(lanes);

        assertThat(picked).filteredOn(p -> !p.lane().id.equals(LANE_B)).hasSize(6);
        assertThat(picked).filteredOn(p -> p.lane().id.equals(LANE_B)).hasSize(6);
    }

    @Test
    void picksFollowQueueOrderAcrossLanes() {
        DeliveryLanes lanes = new DeliveryLanes(new DeliveryLanes.Bounds(10, 1, 10, 3, 1000, 10_000));
        Entry low = entry(LANE_A, Priority.LOW);
        Entry normal = entry(LANE_A, Priority.NORMAL);
        Entry high = entry(LANE_B, Priority.HIGH);
        Entry normalLater = entry(LANE_B, Priority.NORMAL);
        // As Redis hands them over: each batch in queue order.
        lanes.add(List.of(normal, low));
        lanes.add(List.of(high, normalLater));
        describe(lanes);

        List<Picked> picked = pickAll(lanes);

        assertThat(picked).extracting(Picked::entry).containsExactly(high, normal, normalLater);
    }

    @Test
    void whatALaneCannotHoldIsHandedBackInOrder() {
        DeliveryLanes lanes = new DeliveryLanes(new DeliveryLanes.Bounds(10, 1, 10, 10, 3, 10_000));
        List<Entry> five = entries(LANE_A, 5);

        Map<UUID, List<Entry>> surplus = lanes.add(five);

        assertThat(surplus.get(LANE_A)).containsExactly(five.get(3), five.get(4));
        assertThat(lanes.pendingRoom()).isEqualTo(10_000 - 3);
        assertThat(lanes.drainAll()).containsExactly(five.get(0), five.get(1), five.get(2));
        assertThat(lanes.pendingRoom()).isEqualTo(10_000);
    }
}
