package dev.gatekit.core.plugins;

import dev.gatekit.core.admin.AdminTask;
import dev.gatekit.core.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The plugin admin tasks; each answers in JSON. */
public final class PluginTasks {

    private PluginTasks() {
    }

    static void print(PrintWriter output, Object value) {
        output.println(Json.writePretty(value));
        output.flush();
    }

    /** All the plugin admin tasks, for the application to register. */
    public static List<AdminTask> all(PluginHost host) {
        return List.of(
                // POST /tasks/plugins: every plugin with its id, version, state, jar and platforms.
                AdminTask.json("plugins", (parameters, output) ->
                        print(output, Map.of("directory", host.directory().toString(), "plugins", host.plugins()))),
                // POST /tasks/load-plugin?path=/opt/gatekit/plugins/discord-plugin-1.0.0.jar
                AdminTask.json("load-plugin", (parameters, output) ->
                        print(output, host.load(Path.of(parameters.required("path", "/path/to/plugin.jar"))))),
                // POST /tasks/unload-plugin?id=discord: waits for in-flight calls, then unloads.
                AdminTask.json("unload-plugin", (parameters, output) -> {
                    String id = parameters.required("id", "webhook");
                    print(output, Map.of("id", id, "unloaded", host.unload(id)));
                }),
                // POST /tasks/reload-plugin?id=discord: unloads the plugin and loads its jar again.
                AdminTask.json("reload-plugin", (parameters, output) -> {
                    String id = parameters.required("id", "webhook");
                    print(output, host.reload(id).<Object>map(result -> result)
                            .orElse(Map.of("id", id, "loaded", false, "problem", "no plugin '" + id + "' is loaded")));
                }),
                // POST /tasks/rescan-plugins: loads new or changed jars and unloads removed ones now.
                AdminTask.json("rescan-plugins", (parameters, output) ->
                        print(output, Map.of("changes", host.rescan(), "plugins", host.plugins()))));
    }
}
