package dev.gatekit.core.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;

/**
 * Fails Redis calls fast for a moment after one failed, so that while Redis is down a request
 * does not wait out Redisson's timeouts on every call: sends are still accepted at full speed
 * (Postgres is the record) and the sweeper dispatches them when Redis answers again.
 */
public final class RedisBreaker {

    /** Thrown instead of calling Redis while the breaker is open. */
    public static final class RedisUnavailableException extends RedisException {
        RedisUnavailableException() {
            super("Redis failed moments ago; not calling it again yet");
        }
    }

    private final Clock clock;
    private final Duration openFor;
    private volatile Instant openUntil = Instant.MIN;

    public RedisBreaker(Clock clock, Duration openFor) {
        this.clock = clock;
        this.openFor = openFor;
    }

    public <T> T call(Supplier<T> operation) {
        if (clock.instant().isBefore(openUntil)) {
            throw new RedisUnavailableException();
        }
        try {
            return operation.get();
        } catch (RedisConnectionException | RedisTimeoutException | RedisRetryException | RedisNodeNotFoundException e) {
            // Redis unreachable or overloaded; an error reply to one command (a script error) says nothing of that.
            openUntil = clock.instant().plus(openFor);
            throw e;
        }
    }

    public void run(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }
}
