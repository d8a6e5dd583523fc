package dev.gatekit.plugin.discord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.requests.RestRateLimiter;
import net.dv8tion.jda.api.requests.Route;

/**
 * JDA's rate limiter with a ceiling on how long a send waits in it.
 *
 * <p>JDA queues every call within Discord's buckets and, on a 429, waits out {@code retry_after}
 * and tries again, however long that is. A worker of the host should not be held that long: a 429
 * asking for more than {@link #QUEUE_AT_MOST} gives the call up (JDA still learns the bucket's reset
 * from the answer) and remembers until when its route is blocked, so the send fails retryable with
 * Discord's {@code retry_after} and the host tries again exactly then. Shorter waits stay JDA's.
 */
final class RateLimitGuard implements RestRateLimiter {

    /** The longest Discord rate limit a send waits out inside JDA. */
    static final Duration QUEUE_AT_MOST = Duration.ofSeconds(3);

    private static final String GLOBAL = "*";

    /** A route blocked until {@code until} by a 429 that asked for {@code retryAfter}. */
    record Block(Duration retryAfter, Instant until) {
    }

    private final RestRateLimiter delegate;
    private final Clock clock;
    private final Map<String, Block> blocks = new ConcurrentHashMap<>();

    RateLimitGuard(RestRateLimiter delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    /** The key of a call in {@link #blocked}: {@code POST channels/123/messages}. */
    static String key(String method, String compiledRoute) {
        return method + " " + compiledRoute;
    }

    /**
     * The rate limit that holds a route now, if Discord asked for more than {@link #QUEUE_AT_MOST}.
     *
     * @param key the route, from {@link #key}
     * @return the block, or empty when the route may be called
     */
    Optional<Block> blocked(String key) {
        Instant now = clock.instant();
        for (String candidate : new String[] {key, GLOBAL}) {
            Block block = blocks.get(candidate);
            if (block != null) {
                if (block.until().isAfter(now)) {
                    return Optional.of(block);
                }
                blocks.remove(candidate, block);
            }
        }
        return Optional.empty();
    }

    /** Discord's {@code Retry-After} (JDA has already made it the larger of the header and the body's {@code retry_after}). */
    static Duration seconds(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            return seconds < 0 ? null : Duration.ofMillis((long) Math.ceil(seconds * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void enqueue(Work task) {
        delegate.enqueue(new Guarded(task));
    }

    @Override
    public void stop(boolean shutdown, Runnable callback) {
        delegate.stop(shutdown, callback);
    }

    @Override
    public boolean isStopped() {
        return delegate.isStopped();
    }

    @Override
    public int cancelRequests() {
        return delegate.cancelRequests();
    }

    private final class Guarded implements Work {
        private final Work work;

        Guarded(Work work) {
            this.work = work;
        }

        @Override
        public Route.CompiledRoute getRoute() {
            return work.getRoute();
        }

        @Override
        public JDA getJDA() {
            return work.getJDA();
        }

        @Override
        public okhttp3.Response execute() {
            okhttp3.Response response = work.execute();
            if (response != null && response.code() == 429) {
                Duration retryAfter = seconds(response.header("Retry-After"));
                if (retryAfter != null && retryAfter.compareTo(QUEUE_AT_MOST) > 0) {
                    boolean global = "true".equalsIgnoreCase(response.header("X-RateLimit-Global"));
                    Route.CompiledRoute route = work.getRoute();
                    blocks.put(global ? GLOBAL : key(route.getMethod().name(), route.getCompiledRoute()),
                            new Block(retryAfter, clock.instant().plus(retryAfter)));
                    // Cancelled, the call fails now instead of being queued again behind the reset.
                    work.cancel();
                }
            }
            return response;
        }

        @Override
        public boolean isSkipped() {
            return work.isSkipped();
        }

        @Override
        public boolean isDone() {
            return work.isDone();
        }

        @Override
        public boolean isPriority() {
            return work.isPriority();
        }

        @Override
        public boolean isCancelled() {
            return work.isCancelled();
        }

        @Override
        public void cancel() {
            work.cancel();
        }
    }
}
