package dev.gatekit.core.admin;

import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.errors.ErrorResponse;
import dev.gatekit.core.json.Json;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's task on the admin port ({@code POST /tasks/<name>?…}), written as a name and a
 * lambda, so each feature lists its tasks in a few lines instead of a class apiece.
 */
public final class AdminTask extends Task {

    /** What the task does with its query parameters; what it prints is the HTTP answer. */
    @FunctionalInterface
    public interface Action {
        void run(TaskParameters parameters, PrintWriter output) throws Exception;
    }

    private static final String JSON = "application/json;charset=UTF-8";
    private static final Logger LOG = LoggerFactory.getLogger(AdminTask.class);

    private final Action action;

    /** A task that answers in plain text. */
    public AdminTask(String name, Action action) {
        super(name);
        this.action = action;
    }

    private AdminTask(String name, String contentType, Action action) {
        super(name, contentType);
        this.action = action;
    }

    /** A task whose answer is JSON, said so in its {@code Content-Type}. */
    public static AdminTask json(String name, Action action) {
        return new AdminTask(name, JSON, action);
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        try {
            action.run(new TaskParameters(parameters), output);
        } catch (TaskInputException e) {
            if (!TaskStatusFilter.answerWith(400, null)) {
                throw e;
            }
            output.println(e.jsonBody());
        } catch (Exception e) {
            answerFailure(e, output);
        }
        output.flush();
    }

    /**
     * Answers what went wrong without the exception's text, which can carry SQL arguments (a key's
     * hash) or internal addresses: 503 when Postgres is out of reach (noted on the outage, which logs it
     * once), else 500 with an incident id that finds the stack trace in the log.
     */
    private void answerFailure(Exception e, PrintWriter output) {
        int status;
        String message;
        if (DatabaseOutage.isUnavailable(e)) {
            TaskStatusFilter.outageMet(e);
            status = 503;
            message = "task " + getName() + " needs Postgres, which is out of reach; try again later";
        } else {
            String incident = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("Task {} failed (incident {})", getName(), incident, e);
            status = 500;
            message = "task " + getName() + " failed; see the server log, incident " + incident;
        }
        Integer retryAfter = status == 503 ? DatabaseOutage.RETRY_AFTER_SECONDS : null;
        if (!TaskStatusFilter.answerWith(status, retryAfter)) {
            throw new IllegalStateException(message);
        }
        output.println(Json.write(ErrorResponse.of(status, status == 503 ? "database_unavailable" : "task_failed", message, List.of())));
    }
}
