package dev.gatekit.core.ratelimit;

import dev.gatekit.core.redis.RedisBreaker;
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

    /**
     * Takes up to the wanted count from each key's window, in one call for many keys: for key i,
     * ARGV holds its max, window millis and wanted count. Returns, per key, what was granted, the
     * window's count after it, and the millis left in the window.
     */
    private static final String RESERVE = """
            local out = {}
            for i = 1, #KEYS do
              local max = tonumber(ARGV[3 * i - 2])
              local window = tonumber(ARGV[3 * i - 1])
              local want = tonumber(ARGV[3 * i])
              local used = tonumber(redis.call('GET', KEYS[i]) or '0')
              local grant = math.max(0, math.min(want, max - used))
              if grant > 0 then
                used = redis.call('INCRBY', KEYS[i], grant)
              end
              local ttl = redis.call('PTTL', KEYS[i])
              if ttl < 0 and grant > 0 then
                redis.call('PEXPIRE', KEYS[i], window)
                ttl = window
              end
              out[#out + 1] = grant
              out[#out + 1] = used
              out[#out + 1] = math.max(ttl, 0)
            end
            return out
            """;

    /** One key's share of a {@link #reserve} call. */
    public record Reservation(String identity, int max, Duration window, int wanted) {
    }

    /** What a {@link #reserve} call granted one key: {@code used} is the window's count after it. */
    public record Reserved(int granted, long used, long resetMillis) {
    }

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

    /** Takes what each reservation wants from its window (or what is left of it), in one round trip. */
    public List<Reserved> reserve(List<Reservation> reservations) {
        List<Object> keys = new java.util.ArrayList<>();
        Object[] args = new Object[reservations.size() * 3];
        for (int i = 0; i < reservations.size(); i++) {
            Reservation r = reservations.get(i);
            keys.add(keyPrefix + r.identity());
            args[3 * i] = r.max();
            args[3 * i + 1] = r.window().toMillis();
            args[3 * i + 2] = r.wanted();
        }
        List<Long> flat = breaker.call(() -> redisson.getScript(LongCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, RESERVE,
                RScript.ReturnType.MULTI, keys, args));
        List<Reserved> reserved = new java.util.ArrayList<>();
        for (int i = 0; i < reservations.size(); i++) {
            reserved.add(new Reserved(flat.get(3 * i).intValue(), flat.get(3 * i + 1), Math.max(1, flat.get(3 * i + 2))));
        }
        return reserved;
    }
}
