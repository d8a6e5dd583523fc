package dev.gatekit.core.ratelimit;

/**
 * The outcome of counting one request against its window.
 *
 * @param resetSeconds seconds until the window ends and the count starts again
 * @param resetMillis  the same, to the millisecond, for delivery scheduling
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds, long resetMillis) {
}
