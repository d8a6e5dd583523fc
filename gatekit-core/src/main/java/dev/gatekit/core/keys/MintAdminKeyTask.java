package dev.gatekit.core.keys;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tasks/mint-admin-key?name=ops} on the admin port: prints a new admin key, which
 * may create projects and reaches all of them. This is how an operator without Auth0 starts;
 * there are no default credentials.
 */
public class MintAdminKeyTask extends Task {

    private final ApiKeyService keys;

    public MintAdminKeyTask(ApiKeyService keys) {
        super("mint-admin-key");
        this.keys = keys;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        String name = parameters.getOrDefault("name", List.of("admin")).get(0);
        ApiKeyService.IssuedKey issued = keys.mintAdminKey(name, "admin-task");
        output.println(issued.secret());
        output.flush();
    }
}
