package dev.gatekit.core.admin;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

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
            if (!TaskStatusFilter.answerBadRequest()) {
                throw e;
            }
            output.println(e.jsonBody());
        }
        output.flush();
    }
}
