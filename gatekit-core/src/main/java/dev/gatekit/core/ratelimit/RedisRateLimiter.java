package dev.gatekit.core.ratelimit;

import java.time.Duration;
import java.util.List;
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

    public RedisRateLimiter(RedissonClient redisson, String keyPrefix, int maxRequests, Duration window) {
        this.redisson = redisson;
        this.keyPrefix = keyPrefix + "ratelimit:";
        this.maxRequests = maxRequests;
        this.window = window;
    }

    public RateLimitDecision hit(String identity) {
        List<Long> result = redisson.getScript(LongCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, COUNT_HIT,
                RScript.ReturnType.MULTI, List.of(keyPrefix + identity), window.toMillis());
        long count = result.get(0);
        long resetSeconds = Math.max(1, (result.get(1) + 999) / 1000);
        return new RateLimitDecision(count <= maxRequests, maxRequests, Math.max(0, maxRequests - count), resetSeconds);
    }
}
