package dev.gatekit.core.plugins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.servlets.tasks.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a task's answer as JSON and reads its one required parameter. */
public final class PluginTasks {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PluginTasks() {
    }

    static void print(PrintWriter output, Object value) {
        try {
            output.println(JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        output.flush();
    }

    static String required(Map<String, List<String>> parameters, String name, String example) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            throw new IllegalArgumentException("missing parameter '" + name + "', e.g. ?" + name + "=" + example);
        }
        return values.get(0).trim();
    }

    /** {@code POST /tasks/plugins}: every plugin with its id, version, state, jar and platforms, as JSON. */
    static final class ListPluginsTask extends Task {
        private final PluginHost host;

        ListPluginsTask(PluginHost host) {
            super("plugins");
            this.host = host;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            print(output, Map.of("directory", host.directory().toString(), "plugins", host.plugins()));
        }
    }

    /** {@code POST /tasks/load-plugin?path=/opt/gatekit/plugins/discord-plugin-1.0.0.jar}. */
    static final class LoadPluginTask extends Task {
        private final PluginHost host;

        LoadPluginTask(PluginHost host) {
            super("load-plugin");
            this.host = host;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            print(output, host.load(Path.of(required(parameters, "path", "/path/to/plugin.jar"))));
        }
    }

    /** {@code POST /tasks/unload-plugin?id=discord}: waits for in-flight calls, then unloads. */
    static final class UnloadPluginTask extends Task {
        private final PluginHost host;

        UnloadPluginTask(PluginHost host) {
            super("unload-plugin");
            this.host = host;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            String id = required(parameters, "id", "webhook");
            print(output, Map.of("id", id, "unloaded", host.unload(id)));
        }
    }

    /** {@code POST /tasks/reload-plugin?id=discord}: unloads the plugin and loads its jar again. */
    static final class ReloadPluginTask extends Task {
        private final PluginHost host;

        ReloadPluginTask(PluginHost host) {
            super("reload-plugin");
            this.host = host;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            String id = required(parameters, "id", "webhook");
            print(output, host.reload(id).<Object>map(result -> result)
                    .orElse(Map.of("id", id, "loaded", false, "problem", "no plugin '" + id + "' is loaded")));
        }
    }

    /** {@code POST /tasks/rescan-plugins}: loads new or changed jars and unloads removed ones now. */
    static final class RescanPluginsTask extends Task {
        private final PluginHost host;

        RescanPluginsTask(PluginHost host) {
            super("rescan-plugins");
            this.host = host;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            List<PluginHost.LoadResult> changes = host.rescan();
            print(output, Map.of("changes", changes, "plugins", host.plugins()));
        }
    }

    /** All the plugin admin tasks, for the application to register. */
    public static List<Task> all(PluginHost host) {
        return List.of(new ListPluginsTask(host), new LoadPluginTask(host), new UnloadPluginTask(host),
                new ReloadPluginTask(host), new RescanPluginsTask(host));
    }
}
