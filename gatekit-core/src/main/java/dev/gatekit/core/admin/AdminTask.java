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

    private final Action action;

    public AdminTask(String name, Action action) {
        super(name);
        this.action = action;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        action.run(new TaskParameters(parameters), output);
        output.flush();
    }
}
