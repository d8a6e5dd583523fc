package dev.gatekit.core.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to retry a retryable failure: exponential backoff with jitter (half
 * fixed, half random, so retries of many messages spread out), up to {@code maxAttempts} attempts
 * in all. A platform's own retry-after is obeyed exactly instead.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public boolean exhausted(int attemptsMade) {
        return attemptsMade >= maxAttempts;
    }

    public Duration backoff(int attemptsMade) {
        long exponential = baseDelay.toMillis() << Math.min(30, Math.max(0, attemptsMade - 1));
        long capped = Math.min(exponential, maxDelay.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
