package dev.gatekit.core.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.IOException;

/**
 * Carries the client's address from the servlet request into Jersey, where request filters
 * registered as instances cannot have the servlet request injected: a servlet filter sets it as a
 * request attribute, and Jersey shows servlet attributes as request properties.
 */
public final class ClientAddress implements Filter {

    static final String ATTRIBUTE = ClientAddress.class.getName();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        request.setAttribute(ATTRIBUTE, request.getRemoteAddr());
        chain.doFilter(request, response);
    }

    public static String of(ContainerRequestContext request) {
        Object address = request.getProperty(ATTRIBUTE);
        return address == null ? "unknown" : address.toString();
    }
}
