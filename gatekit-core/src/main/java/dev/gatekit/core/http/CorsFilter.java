package dev.gatekit.core.http;

import dev.gatekit.core.errors.ApiExceptionMapper;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;

/**
 * CORS for browser clients, from {@code CORS_ORIGINS}: an empty list allows no origin, {@code *}
 * allows any. Preflights are answered before routing and authentication, as browsers send them
 * without credentials.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Content-Type, Authorization, X-API-Key, Idempotency-Key";
    static final String EXPOSED_HEADERS = "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After";
    static final String MAX_AGE_SECONDS = "600";

    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;

    public CorsFilter(List<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList());
        this.anyOrigin = this.allowedOrigins.contains("*");
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        boolean preflight = HttpMethod.OPTIONS.equals(request.getMethod()) && origin != null
                && request.getHeaderString("Access-Control-Request-Method") != null;
        if (!preflight) {
            return;
        }
        if (!isAllowed(origin)) {
            request.abortWith(ApiExceptionMapper.respond(403, "cors_origin_not_allowed", "Origin " + origin + " is not allowed"));
            return;
        }
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
                .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .header("Access-Control-Max-Age", MAX_AGE_SECONDS)
                .build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin != null && isAllowed(origin)) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
            response.getHeaders().putSingle("Access-Control-Expose-Headers", EXPOSED_HEADERS);
            response.getHeaders().add("Vary", "Origin");
        }
    }

    private boolean isAllowed(String origin) {
        return anyOrigin || allowedOrigins.contains(origin);
    }
}
