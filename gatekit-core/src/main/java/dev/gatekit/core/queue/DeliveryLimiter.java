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

    private Optional<Duration> check(String identity, double perSecond) {
        int max;
        Duration window;
        if (perSecond >= 1) {
            max = (int) Math.floor(perSecond);
            window = Duration.ofSeconds(1);
        } else {
            max = 1;
            window = Duration.ofMillis((long) Math.ceil(1000 / perSecond));
        }
        RateLimitDecision decision = counter.hit(identity, max, window);
        return decision.allowed() ? Optional.empty() : Optional.of(Duration.ofMillis(decision.resetMillis()));
    }
}
