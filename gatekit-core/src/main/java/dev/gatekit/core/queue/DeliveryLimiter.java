package dev.gatekit.core.queue;

import dev.gatekit.core.ratelimit.RateLimitDecision;
import dev.gatekit.core.ratelimit.RedisRateLimiter;
import dev.gatekit.plugin.api.DeliveryLimits;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps delivery inside each platform's published limits, per configuration and per target,
 * counted in Redis so that every worker of every process shares one budget.
 */
public class DeliveryLimiter {

    private final RedisRateLimiter counter;

    public DeliveryLimiter(RedisRateLimiter counter) {
        this.counter = counter;
    }

    /** Empty when the send may go now; otherwise how long to wait before trying again. */
    public Optional<Duration> waitBeforeSending(UUID configurationId, String targetId, DeliveryLimits limits) {
        Optional<Duration> configurationWait = check("delivery:" + configurationId, limits.messagesPerSecond());
        if (configurationWait.isPresent()) {
            return configurationWait;
        }
        return check("delivery:" + configurationId + ":" + targetId, limits.perTargetPerSecond());
    }

    /** The slowest rate honoured: one message an hour; anything slower would stall a target for good. */
    static final Duration LONGEST_WINDOW = Duration.ofHours(1);

    private Optional<Duration> check(String identity, double perSecond) {
        int max;
        Duration window;
        if (perSecond >= 1) {
            max = (int) Math.min(Integer.MAX_VALUE, Math.floor(perSecond));
            window = Duration.ofSeconds(1);
        } else {
            max = 1;
            window = Duration.ofMillis((long) Math.min(LONGEST_WINDOW.toMillis(), Math.ceil(1000 / perSecond)));
        }
        RateLimitDecision decision = counter.hit(identity, max, window);
        return decision.allowed() ? Optional.empty() : Optional.of(Duration.ofMillis(decision.resetMillis()));
    }
}
