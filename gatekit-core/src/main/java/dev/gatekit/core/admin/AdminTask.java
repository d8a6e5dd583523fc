package dev.gatekit.core.admin;

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
            if (!TaskStatusFilter.answerWith(400)) {
                throw e;
            }
            output.println(e.jsonBody());
        } catch (Exception e) {
            // Dropwizard would answer with the exception's message, which can carry SQL arguments (a
            // key's hash) or internal addresses: the operator gets an incident id, the log the rest.
            String incident = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("Task {} failed (incident {})", getName(), incident, e);
            String message = "task " + getName() + " failed; see the server log, incident " + incident;
            if (!TaskStatusFilter.answerWith(500)) {
                throw new IllegalStateException(message);
            }
            output.println(Json.write(ErrorResponse.of(500, "task_failed", message, List.of())));
        }
        output.flush();
    }
}
