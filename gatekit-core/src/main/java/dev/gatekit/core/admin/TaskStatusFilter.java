package dev.gatekit.core.admin;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Dropwizard's task servlet answers 500 to whatever a task throws; a {@link TaskInputException}
 * is the caller's mistake, so this filter (on {@code /tasks/*}) turns that 500 into a 400 with
 * the JSON error body. The task and this filter run on the same thread, which is how the failure
 * travels between them.
 */
public final class TaskStatusFilter implements Filter {

    private static final ThreadLocal<TaskInputException> FAILED_INPUT = new ThreadLocal<>();

    static void failedOn(TaskInputException e) {
        FAILED_INPUT.set(e);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        FAILED_INPUT.remove();
        try {
            chain.doFilter(request, new HttpServletResponseWrapper((HttpServletResponse) response) {
                @Override
                public void setStatus(int status) {
                    TaskInputException failed = FAILED_INPUT.get();
                    if (status != HttpServletResponse.SC_INTERNAL_SERVER_ERROR || failed == null) {
                        super.setStatus(status);
                        return;
                    }
                    super.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                    super.setContentType("application/json;charset=UTF-8");
                }
            });
        } finally {
            FAILED_INPUT.remove();
        }
    }
}
