package dev.gatekit.core.retention;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/prune-now} on the admin port: runs the retention prune at once and prints what it removed. */
public class PruneNowTask extends Task {

    private final RetentionPruner pruner;

    public PruneNowTask(RetentionPruner pruner) {
        super("prune-now");
        this.pruner = pruner;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        output.println("Pruned " + pruner.pruneNow());
        output.flush();
    }
}
