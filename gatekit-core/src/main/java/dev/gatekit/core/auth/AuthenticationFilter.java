package dev.gatekit.core.auth;

import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.http.ClientAddress;
import dev.gatekit.core.ratelimit.RateLimitDecision;
import dev.gatekit.core.ratelimit.RedisRateLimiter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code X-API-Key} or {@code Authorization: Bearer}. When both come, the API key wins, as
 * in the original GateKit. Messages are the original's, so existing clients keep matching them.
 */
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationFilter implements ContainerRequestFilter {

    public static final String API_KEY_HEADER = "X-API-Key";
    static final String CALLER_PROPERTY = Caller.class.getName();

    private final ApiKeyAuthenticator apiKeys;
    private final JwtAuthenticator jwts;
    private final RedisRateLimiter failures;

    /**
     * @param failures counts failed attempts per client address, so guessing keys or forging tokens
     *                 meets the same limit as any other traffic (then 429 instead of 401)
     */
    public AuthenticationFilter(ApiKeyAuthenticator apiKeys, JwtAuthenticator jwts, RedisRateLimiter failures) {
        this.apiKeys = apiKeys;
        this.jwts = jwts;
        this.failures = failures;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Caller caller;
        try {
            caller = authenticate(request);
        } catch (ApiException e) {
            if (e.status() == 401) {
                countFailure(ClientAddress.of(request));
            }
            throw e;
        }
        request.setProperty(CALLER_PROPERTY, caller);
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return Scope.fromWireName(role).map(caller::has).orElse(false);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return caller.kind() == Caller.Kind.JWT ? "Bearer" : "ApiKey";
            }
        });
    }

    private Caller authenticate(ContainerRequestContext request) {
        String apiKey = request.getHeaderString(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKeys.authenticate(apiKey.trim());
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return jwts.authenticate(authorization.substring(7).trim());
        }
        throw ApiException.unauthorized("Authentication required. Provide either an API key or Bearer token.");
    }

    private void countFailure(String clientAddress) {
        RateLimitDecision decision;
        try {
            decision = failures.hit("authfail:" + clientAddress);
        } catch (RuntimeException e) {
            return; // Redis down: the 401 stands, unmetered, like every request then
        }
        if (!decision.allowed()) {
            throw new ApiException(429, "rate_limited", "Too many failed authentications from this address; retry in "
                    + decision.resetSeconds() + " s", List.of(), Map.of("Retry-After", Long.toString(decision.resetSeconds())));
        }
    }

    /** The caller a filter earlier in the chain authenticated, if any (the rate limiter reads it). */
    public static Caller callerOf(ContainerRequestContext request) {
        return (Caller) request.getProperty(CALLER_PROPERTY);
    }
}
