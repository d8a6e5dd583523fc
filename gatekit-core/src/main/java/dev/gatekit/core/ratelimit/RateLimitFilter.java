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
import java.util.function.Function;
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
        meter(request, "Rate limiter", identity -> budgets.take(identity, limit, 1).asDecision(limit),
                "the limit is " + limit.max() + " per window");
    }

    /**
     * Counts the request against its caller (or its client address on a public endpoint), records
     * the decision for the {@code X-RateLimit-*} headers and answers 429 when it says no.
     *
     * @param count     counts one request for an identity
     * @param limitText what the limit is, for the 429's message
     */
    static void meter(ContainerRequestContext request, String limiterName, Function<String, RateLimitDecision> count, String limitText) {
        Caller caller = AuthenticationFilter.callerOf(request);
        String identity = caller != null ? caller.rateLimitKey() : "ip:" + ClientAddress.of(request);
        RateLimitDecision decision;
        try {
            decision = count.apply(identity);
        } catch (RuntimeException e) {
            // Redis down: serving unmetered beats refusing everyone; the health check reports Redis.
            LOG.warn("{} unavailable, request let through: {}", limiterName, e.toString());
            return;
        }
        request.setProperty(DECISION, decision);
        if (!decision.allowed()) {
            throw new ApiException(429, "rate_limited", "Too many requests: " + limitText + "; retry in " + decision.resetSeconds() + " s",
                    List.of(), Map.of("Retry-After", Long.toString(decision.resetSeconds())));
        }
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
