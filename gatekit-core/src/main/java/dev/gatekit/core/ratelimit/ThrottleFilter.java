package dev.gatekit.core.ratelimit;

import dev.gatekit.core.auth.AuthenticationFilter;
import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.http.ClientAddress;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces one method's {@link Throttle}. Counted exactly in Redis on every call (not in slices like
 * the API-wide limit): these endpoints are rare and their limits small. Runs after the API-wide
 * filter and puts its own decision in the {@code X-RateLimit-*} headers, being the tighter one.
 */
@Priority(Priorities.AUTHENTICATION + 200)
class ThrottleFilter implements ContainerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ThrottleFilter.class);

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
        Caller caller = AuthenticationFilter.callerOf(request);
        String identity = caller != null ? caller.rateLimitKey() : "ip:" + ClientAddress.of(request);
        RateLimitDecision decision;
        try {
            decision = redis.hit("throttle:" + name + ":" + identity, limit.max(), limit.window());
        } catch (RuntimeException e) {
            LOG.warn("Throttle '{}' unavailable, request let through: {}", name, e.toString());
            return;
        }
        RateLimitFilter.recordDecision(request, decision);
        if (!decision.allowed()) {
            throw new ApiException(429, "rate_limited",
                    "Too many requests: this endpoint allows " + limit.max() + " per " + limit.window().toSeconds()
                            + " s; retry in " + decision.resetSeconds() + " s",
                    List.of(), Map.of("Retry-After", Long.toString(decision.resetSeconds())));
        }
    }
}
