package dev.gatekit.core.messages;

import static dev.gatekit.core.messages.TargetState.ACTIVE;
import static dev.gatekit.core.messages.TargetState.DELAYED;
import static dev.gatekit.core.messages.TargetState.DELIVERED;
import static dev.gatekit.core.messages.TargetState.FAILED;
import static dev.gatekit.core.messages.TargetState.QUEUED;
import static dev.gatekit.core.messages.TargetState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetStateTest {

    @Test
    void aMessagesStateIsTheAggregateOfItsTargets() {
        assertThat(TargetState.aggregate(List.of(DELIVERED, DELIVERED))).isEqualTo(DELIVERED);
        assertThat(TargetState.aggregate(List.of(DELIVERED, FAILED))).isEqualTo(FAILED);
        assertThat(TargetState.aggregate(List.of(FAILED, QUEUED))).isEqualTo(QUEUED);
        assertThat(TargetState.aggregate(List.of(WAITING, DELAYED, QUEUED, ACTIVE))).isEqualTo(ACTIVE);
        assertThat(TargetState.aggregate(List.of(WAITING, DELAYED))).isEqualTo(DELAYED);
        assertThat(TargetState.aggregate(List.of(WAITING, DELIVERED))).isEqualTo(WAITING);
    }
}
