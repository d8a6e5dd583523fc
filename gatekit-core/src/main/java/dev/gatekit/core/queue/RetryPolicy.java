package dev.gatekit.core.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to retry a retryable failure, for message targets and event deliveries
 * alike: exponential backoff with jitter (half fixed, half random, so retries of many messages
 * spread out), up to {@code maxAttempts} attempts in all. For message targets, a delay the platform
 * asked for (a {@code Retry-After}) is a minimum: {@link #atLeast} waits it in full, plus a little jitter.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    /** The most jitter added to a delay the other side asked for. */
    private static final long MAX_ASKED_JITTER_MILLIS = 1_000;

    public boolean exhausted(int attemptsMade) {
        return attemptsMade >= maxAttempts;
    }

    public Duration backoff(int attemptsMade) {
        long half = ceilingMillis(attemptsMade) / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /**
     * At least {@code asked}, plus up to a tenth of it (at most a second): targets told the same
     * delay by one rate limit do not all come back in the same millisecond.
     */
    public Duration atLeast(Duration asked) {
        long askedMillis = Math.max(0, asked.toMillis());
        long jitter = Math.min(MAX_ASKED_JITTER_MILLIS, askedMillis / 10);
        return Duration.ofMillis(askedMillis + ThreadLocalRandom.current().nextLong(jitter + 1));
    }

    /** The least time from the first attempt to the last (every backoff at its shortest): how long an outage the budget outlasts. */
    public Duration shortestSpan() {
        long total = 0;
        for (int attempt = 1; attempt < maxAttempts; attempt++) {
            total += ceilingMillis(attempt) / 2;
        }
        return Duration.ofMillis(total);
    }

    private long ceilingMillis(int attemptsMade) {
        long exponential = baseDelay.toMillis() << Math.min(30, Math.max(0, attemptsMade - 1));
        return Math.min(exponential, maxDelay.toMillis());
    }
}
