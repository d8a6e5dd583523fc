package dev.gatekit.core.admin;

import dev.gatekit.core.errors.ErrorResponse;
import dev.gatekit.core.json.Json;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Guards the admin port (tasks, health checks, metrics): a request must carry
 * {@code Authorization: Bearer <admin token>} and no {@code Origin} header. Browsers add
 * {@code Origin} to cross-site POSTs, so a web page open on the operator's machine cannot run a task
 * on 127.0.0.1 even by a form or a text/plain fetch; command-line clients never send it. Without a
 * configured token every request is refused.
 */
public final class AdminTokenFilter implements Filter {

    /** The environment variable that carries the token, named in answers and logs. */
    public static final String TOKEN_VARIABLE = "GATEKIT_ADMIN_TOKEN";

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    /** @param token the admin token; blank locks the admin port */
    public AdminTokenFilter(String token) {
        this.token = token == null || token.isBlank() ? null : token.trim().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        if (http.getHeader("Origin") != null) {
            refuse(answer, 403, "forbidden", "The admin port refuses requests with an Origin header (a browser's cross-site request)");
            return;
        }
        if (token == null) {
            refuse(answer, 401, "unauthorized", "The admin port is locked: set " + TOKEN_VARIABLE + " to use it");
            return;
        }
        String authorization = http.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refuse(answer, 401, "unauthorized", "Send the admin token as Authorization: Bearer <" + TOKEN_VARIABLE + ">");
            return;
        }
        byte[] sent = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(sent, token)) {
            refuse(answer, 401, "unauthorized", "Invalid admin token");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setContentType("application/json");
        response.getOutputStream().write(Json.write(ErrorResponse.of(status, code, message, List.of())).getBytes(StandardCharsets.UTF_8));
    }
}
