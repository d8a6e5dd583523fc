package dev.gatekit.core.usage;

import dev.gatekit.core.messages.MessageListener;
import dev.gatekit.core.messages.MessageRecord;
import dev.gatekit.core.messages.TargetRecord;
import dev.gatekit.core.messages.TargetState;
import java.util.List;

/** Counts accepted targets and their final outcomes, per platform and per the key that sent them. */
public class UsageMessageListener implements MessageListener {

    private final UsageRecorder recorder;

    public UsageMessageListener(UsageRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void accepted(MessageRecord message, List<TargetRecord> targets) {
        for (TargetRecord target : targets) {
            recorder.count(message.projectId(), UsageMetric.ACCEPTED, target.platform(), message.createdBy(), 1);
        }
    }

    @Override
    public void targetFinished(MessageRecord message, TargetRecord target) {
        UsageMetric metric = target.state() == TargetState.DELIVERED ? UsageMetric.DELIVERED
                : target.state() == TargetState.FAILED ? UsageMetric.FAILED : null;
        if (metric != null) {
            recorder.count(message.projectId(), metric, target.platform(), message.createdBy(), 1);
        }
    }
}
