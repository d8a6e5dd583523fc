package dev.gatekit.core.queue;

import dev.gatekit.core.ratelimit.RateBudgets;
import dev.gatekit.plugin.api.DeliveryLimits;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Keeps delivery inside each platform's published limits, per configuration and per target,
 * counted in Redis so that every worker of every process shares one budget, and taken in slices
 * ({@link RateBudgets}) so that a busy configuration costs a Redis call per slice, not per send.
 */
public class DeliveryLimiter {

    /** The slowest rate honoured: one message an hour; anything slower would stall a target for good. */
    static final Duration LONGEST_WINDOW = Duration.ofHours(1);

    /** Sends one configuration would like to start now. */
    public record ConfigurationAsk(UUID configurationId, DeliveryLimits limits, int wanted) {
    }

    /** One send to one target. */
    public record TargetAsk(UUID configurationId, String targetId, DeliveryLimits limits) {
    }

    private final RateBudgets budgets;

    public DeliveryLimiter(RateBudgets budgets) {
        this.budgets = budgets;
    }

    /** How many of each configuration's wanted sends may start now, in one Redis call at most. */
    public List<RateBudgets.Grant> forConfigurations(List<ConfigurationAsk> asks) {
        return budgets.takeAll(asks.stream().map(a -> new RateBudgets.Want("delivery:" + a.configurationId(),
                limit(a.limits().messagesPerSecond()), a.wanted())).toList());
    }

    /** Whether each send may go to its target now, in one Redis call at most. */
    public List<RateBudgets.Grant> forTargets(List<TargetAsk> asks) {
        return budgets.takeAll(asks.stream().map(a -> new RateBudgets.Want("delivery:" + a.configurationId() + ":" + a.targetId(),
                limit(a.limits().perTargetPerSecond()), 1)).toList());
    }

    /** A per-target limit no stricter than the configuration's own can never hold a send back, so it is not counted. */
    public static boolean targetLimitApplies(DeliveryLimits limits) {
        return limits.perTargetPerSecond() < limits.messagesPerSecond();
    }

    static RateBudgets.Limit limit(double perSecond) {
        if (perSecond >= 1) {
            return new RateBudgets.Limit((int) Math.min(Integer.MAX_VALUE, Math.floor(perSecond)), Duration.ofSeconds(1));
        }
        return new RateBudgets.Limit(1, Duration.ofMillis((long) Math.min(LONGEST_WINDOW.toMillis(), Math.ceil(1000 / perSecond))));
    }
}
