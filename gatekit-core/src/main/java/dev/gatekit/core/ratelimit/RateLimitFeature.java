package dev.gatekit.core.ratelimit;

import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/** Meters every resource method except those marked {@link RateLimitExempt}. */
public class RateLimitFeature implements DynamicFeature {

    private final RateLimitFilter filter;

    public RateLimitFeature(RateBudgets budgets, RateBudgets.Limit limit) {
        this.filter = new RateLimitFilter(budgets, limit);
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        boolean exempt = resource.getResourceMethod().isAnnotationPresent(RateLimitExempt.class)
                || resource.getResourceClass().isAnnotationPresent(RateLimitExempt.class);
        if (!exempt) {
            context.register(filter);
        }
    }
}
