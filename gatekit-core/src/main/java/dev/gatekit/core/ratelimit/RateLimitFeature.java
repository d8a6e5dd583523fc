package dev.gatekit.core.ratelimit;

import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.util.Map;

/**
 * Meters every resource method except those marked {@link RateLimitExempt}, and those marked
 * {@link Throttle} against their own stricter limit as well.
 */
public class RateLimitFeature implements DynamicFeature {

    private final RateLimitFilter filter;
    private final RedisRateLimiter redis;
    private final Map<String, RateBudgets.Limit> throttles;

    /** @param throttles the stricter limits by {@link Throttle} name */
    public RateLimitFeature(RateBudgets budgets, RateBudgets.Limit limit, RedisRateLimiter redis,
                            Map<String, RateBudgets.Limit> throttles) {
        this.filter = new RateLimitFilter(budgets, limit);
        this.redis = redis;
        this.throttles = Map.copyOf(throttles);
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        boolean exempt = resource.getResourceMethod().isAnnotationPresent(RateLimitExempt.class)
                || resource.getResourceClass().isAnnotationPresent(RateLimitExempt.class);
        if (!exempt) {
            context.register(filter);
            Throttle throttle = resource.getResourceMethod().getAnnotation(Throttle.class);
            if (throttle != null && throttles.containsKey(throttle.value())) {
                context.register(new ThrottleFilter(redis, throttle.value(), throttles.get(throttle.value())));
            }
        }
    }
}
