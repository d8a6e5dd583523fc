package dev.gatekit.core.admin;

import dev.gatekit.core.db.DatabaseOutage;
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

    /** What a task running on this thread answers through, and where an outage it meets is noted. */
    private record Current(HttpServletResponse response, DatabaseOutage outage) {
    }

    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private final DatabaseOutage outage;

    public TaskStatusFilter(DatabaseOutage outage) {
        this.outage = outage;
    }

    /**
     * Makes the current task's answer this status with a JSON body, dropping anything the task
     * wrote so far; call before writing the body.
     *
     * @param retryAfterSeconds a {@code Retry-After} to send, or null
     * @return false when no filter holds the response (the task then throws, and Dropwizard answers 500)
     */
    static boolean answerWith(int status, Integer retryAfterSeconds) {
        Current current = CURRENT.get();
        if (current == null || current.response().isCommitted()) {
            return false;
        }
        HttpServletResponse response = current.response();
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        if (retryAfterSeconds != null) {
            response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        }
        return true;
    }

    /** Notes that the current task met Postgres out of reach, so the outage is logged once, as for the API. */
    static void outageMet(Throwable e) {
        Current current = CURRENT.get();
        if (current != null) {
            current.outage().failed(e);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        CURRENT.set(new Current((HttpServletResponse) response, outage));
        try {
            chain.doFilter(request, response);
        } finally {
            CURRENT.remove();
        }
    }
}
