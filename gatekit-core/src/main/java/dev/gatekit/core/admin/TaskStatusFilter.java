package dev.gatekit.core.admin;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Lets a task answer with a status of its own. Dropwizard's task servlet hands a task only the
 * response's writer, and answers 500 (logging an error) to whatever it throws, although a missing
 * parameter is the caller's mistake. This filter (on {@code /tasks/*}) keeps the response at hand
 * for the task running on the same thread, so {@link AdminTask} can answer 400 (or a 500 of its own) before it writes.
 */
public final class TaskStatusFilter implements Filter {

    private static final ThreadLocal<HttpServletResponse> RESPONSE = new ThreadLocal<>();

    /**
     * Makes the current task's answer this status with a JSON body, dropping anything the task
     * wrote so far; call before writing the body.
     *
     * @return false when no filter holds the response (the task then throws, and Dropwizard answers 500)
     */
    static boolean answerWith(int status) {
        HttpServletResponse response = RESPONSE.get();
        if (response == null || response.isCommitted()) {
            return false;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        return true;
    }

    /** Adds {@code Retry-After} to the current task's answer, after {@link #answerWith}. */
    static void retryAfter(int seconds) {
        HttpServletResponse response = RESPONSE.get();
        if (response != null && !response.isCommitted()) {
            response.setHeader("Retry-After", Integer.toString(seconds));
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        RESPONSE.set((HttpServletResponse) response);
        try {
            chain.doFilter(request, response);
        } finally {
            RESPONSE.remove();
        }
    }
}
