package dev.gatekit.core.ratelimit;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * Enforces one method's {@link Throttle}. Counted exactly in Redis on every call (not in slices like
 * the API-wide limit): these endpoints are rare and their limits small. Runs after the API-wide
 * filter and puts its own decision in the {@code X-RateLimit-*} headers, being the tighter one.
 */
@Priority(Priorities.AUTHENTICATION + 200)
class ThrottleFilter implements ContainerRequestFilter {

    private final RedisRateLimiter redis;
    private final String name;
    private final RateBudgets.Limit limit;

    ThrottleFilter(RedisRateLimiter redis, String name, RateBudgets.Limit limit) {
        this.redis = redis;
        this.name = name;
        this.limit = limit;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        RateLimitFilter.meter(request, "Throttle '" + name + "'",
                identity -> redis.hit("throttle:" + name + ":" + identity, limit.max(), limit.window()),
                "this endpoint allows " + limit.max() + " per " + limit.window().toSeconds() + " s");
    }
}
