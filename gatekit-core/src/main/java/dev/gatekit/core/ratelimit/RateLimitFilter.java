package dev.gatekit.core.ratelimit;

import dev.gatekit.core.auth.AuthenticationFilter;
import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.http.ClientAddress;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each request against its caller (the API key or JWT subject), or against the client
 * address when the endpoint is public, and answers 429 past the limit. Runs after
 * authentication so that a key's budget is its own wherever its requests come from. The count is
 * shared by every instance through Redis, in slices ({@link RateBudgets}), not a call per request.
 */
@Priority(Priorities.AUTHENTICATION + 100)
public class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final String DECISION = RateLimitDecision.class.getName();

    private final RateBudgets budgets;
    private final RateBudgets.Limit limit;

    public RateLimitFilter(RateBudgets budgets, RateBudgets.Limit limit) {
        this.budgets = budgets;
        this.limit = limit;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Caller caller = AuthenticationFilter.callerOf(request);
        String identity = caller != null ? caller.rateLimitKey() : "ip:" + ClientAddress.of(request);
        RateLimitDecision decision;
        try {
            decision = budgets.take(identity, limit, 1).asDecision(limit);
        } catch (RuntimeException e) {
            // Redis down: serving unmetered beats refusing everyone; the health check reports Redis.
            LOG.warn("Rate limiter unavailable, request let through: {}", e.toString());
            return;
        }
        recordDecision(request, decision);
        if (!decision.allowed()) {
            throw new ApiException(429, "rate_limited",
                    "Too many requests: the limit is " + decision.limit() + " per window; retry in " + decision.resetSeconds() + " s",
                    List.of(), Map.of("Retry-After", Long.toString(decision.resetSeconds())));
        }
    }

    /** The decision the response's {@code X-RateLimit-*} headers report; a later, tighter one replaces it. */
    static void recordDecision(ContainerRequestContext request, RateLimitDecision decision) {
        request.setProperty(DECISION, decision);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof RateLimitDecision decision) {
            response.getHeaders().putSingle("X-RateLimit-Limit", decision.limit());
            response.getHeaders().putSingle("X-RateLimit-Remaining", decision.remaining());
            response.getHeaders().putSingle("X-RateLimit-Reset", decision.resetSeconds());
        }
    }
}
