package dev.gatekit.core.ratelimit;

import java.time.Duration;
import java.util.List;
import dev.gatekit.core.redis.RedisBreaker;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.LongCodec;

/**
 * A fixed-window counter per identity, kept in Redis so that every instance counts against the
 * same window. One Lua call increments and reads the window's remaining time atomically.
 */
public class RedisRateLimiter {

    private static final String COUNT_HIT = """
            local count = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {count, ttl}
            """;

    private final RedissonClient redisson;
    private final String keyPrefix;
    private final int maxRequests;
    private final Duration window;
    private final RedisBreaker breaker;

    public RedisRateLimiter(RedissonClient redisson, RedisBreaker breaker, String keyPrefix, int maxRequests, Duration window) {
        this.redisson = redisson;
        this.breaker = breaker;
        this.keyPrefix = keyPrefix + "ratelimit:";
        this.maxRequests = maxRequests;
        this.window = window;
    }

    /** Counts one API request against the configured {@code RATE_LIMIT_MAX} per {@code RATE_LIMIT_TTL}. */
    public RateLimitDecision hit(String identity) {
        return hit(identity, maxRequests, window);
    }

    /** Counts one event against {@code max} per {@code window} for this identity. */
    public RateLimitDecision hit(String identity, int max, Duration window) {
        List<Long> result = breaker.call(() -> redisson.getScript(LongCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, COUNT_HIT,
                RScript.ReturnType.MULTI, List.of(keyPrefix + identity), window.toMillis()));
        long count = result.get(0);
        long resetMillis = Math.max(1, result.get(1));
        return new RateLimitDecision(count <= max, max, Math.max(0, max - count), (resetMillis + 999) / 1000, resetMillis);
    }
}
