package dev.gatekit.core.plugins;

import dev.gatekit.plugin.api.GateKitPluginApi;
import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.PlatformProvider;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.pf4j.PluginAlreadyLoadedException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads, unloads and reloads plugin jars with PF4J and keeps the {@link PlatformRegistry} in step.
 * Every change goes through one lock, so the watcher and the admin tasks never race; lookups go
 * to the registry and never wait for it.
 *
 * <p>A jar is refused (and stays unloaded, with a clear log line) when it is not a plugin, when its
 * {@code Plugin-Requires} excludes this host's plugin API version, when its plugin id is already
 * loaded, when it claims a platform id another plugin serves (the first keeps serving), or when
 * it throws while starting. The server keeps running in every case.
 */
public final class PluginHost {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    private static final String UNLOADED = "UNLOADED";

    /** What identifies one version of a file on disk: replacing a jar changes it. */
    record Fingerprint(long size, long modifiedMillis, Object fileKey) {
    }

    private record Loaded(String pluginId, String version, Path path, Fingerprint fingerprint, List<LoadedPlatform> platforms) {
    }

    private record Problem(String pluginId, String version, String state, Fingerprint fingerprint, String message) {
    }

    /** The outcome of loading one jar. */
    public record LoadResult(boolean loaded, String pluginId, String version, List<String> platforms, String problem) {
    }

    private final Path directory;
    private final PlatformRegistry registry;
    private final Duration drainTimeout;
    private final GateKitPluginManager manager;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final Map<Path, Problem> problems = new LinkedHashMap<>();
    /** The jars the last {@link #sync} saw in the directory, to tell when the folder changed. */
    private Set<Path> lastPresent = Set.of();

    public PluginHost(Path directory, PlatformRegistry registry, Duration drainTimeout) {
        this.directory = directory.toAbsolutePath().normalize();
        this.registry = registry;
        this.drainTimeout = drainTimeout;
        this.manager = new GateKitPluginManager(this.directory);
    }

    public Path directory() {
        return directory;
    }

    public PlatformRegistry registry() {
        return registry;
    }

    /** Loads and starts one jar; a jar already loaded from the same path is unloaded first (a reload). */
    public synchronized LoadResult load(Path jar) {
        Path path = jar.toAbsolutePath().normalize();
        loadedFrom(path).ifPresent(previous -> unloadLocked(previous.pluginId(), "its jar is being reloaded"));
        problems.remove(path);
        Fingerprint fingerprint;
        try {
            fingerprint = fingerprint(path);
        } catch (IOException e) {
            return refuse(path, null, null, "FAILED", null, "cannot read " + path + ": " + e);
        }

        String pluginId;
        try {
            pluginId = manager.loadPlugin(path);
        } catch (PluginAlreadyLoadedException e) {
            String existing = Optional.ofNullable(loaded.get(e.getPluginId())).map(l -> l.path().toString()).orElse("elsewhere");
            return refuse(path, e.getPluginId(), null, "REFUSED", fingerprint,
                    "plugin id '" + e.getPluginId() + "' is already loaded from " + existing);
        } catch (RuntimeException | LinkageError e) {
            return refuse(path, null, null, "FAILED", fingerprint, "not a loadable plugin jar: " + e.getMessage());
        }
        PluginWrapper wrapper = manager.getPlugin(pluginId);
        String version = wrapper.getDescriptor().getVersion();
        String requires = wrapper.getDescriptor().getRequires();

        if (!apiSatisfies(requires) || wrapper.getPluginState() == PluginState.DISABLED) {
            discard(pluginId);
            return refuse(path, pluginId, version, "REFUSED", fingerprint, "it requires plugin API '" + requires
                    + "' but this host provides " + GateKitPluginApi.VERSION);
        }

        PluginState state;
        try {
            state = manager.startPlugin(pluginId);
        } catch (RuntimeException | LinkageError e) {
            wrapper.setFailedException(e);
            state = PluginState.FAILED;
        }
        if (state != PluginState.STARTED) {
            Throwable failure = wrapper.getFailedException();
            discard(pluginId);
            return refuse(path, pluginId, version, "FAILED", fingerprint,
                    "it failed to start" + (failure == null ? " (state " + state + ")" : ": " + failure));
        }

        List<LoadedPlatform> platforms = new ArrayList<>();
        try {
            Set<String> ids = new HashSet<>();
            for (PlatformProvider provider : manager.getExtensions(PlatformProvider.class, pluginId)) {
                PlatformDescriptor descriptor = provider.descriptor();
                if (descriptor == null) {
                    throw new IllegalStateException(provider.getClass().getName() + ".descriptor() returned null");
                }
                if (!ids.add(descriptor.id())) {
                    throw new IllegalStateException("it declares platform '" + descriptor.id() + "' twice");
                }
                platforms.add(new LoadedPlatform(provider, descriptor, pluginId, version, path));
            }
        } catch (RuntimeException | LinkageError e) {
            discard(pluginId);
            return refuse(path, pluginId, version, "FAILED", fingerprint, "its platform provider failed: " + e);
        }

        List<LoadedPlatform> taken = registry.claim(platforms);
        if (!taken.isEmpty()) {
            discard(pluginId);
            LoadedPlatform first = taken.get(0);
            return refuse(path, pluginId, version, "REFUSED", fingerprint, "platform '" + first.platformId()
                    + "' is already served by plugin '" + first.pluginId() + "' " + first.pluginVersion()
                    + " (" + first.path() + "), which keeps serving it");
        }
        loaded.put(pluginId, new Loaded(pluginId, version, path, fingerprint, List.copyOf(platforms)));
        List<String> platformIds = platforms.stream().map(LoadedPlatform::platformId).toList();
        if (platforms.isEmpty()) {
            LOG.warn("Loaded plugin '{}' {} from {}, but it provides no platform (no @Extension PlatformProvider)",
                    pluginId, version, path);
        } else {
            LOG.info("Loaded plugin '{}' {} from {}: platforms {}", pluginId, version, path, platformIds);
        }
        return new LoadResult(true, pluginId, version, platformIds, null);
    }

    /** Unloads a plugin after its in-flight calls finish (bounded by the drain timeout). */
    public synchronized boolean unload(String pluginId) {
        Loaded plugin = loaded.get(pluginId);
        if (plugin == null || !unloadLocked(pluginId, "requested by an operator")) {
            return false;
        }
        // Without this the watcher would load the jar, still in the directory, again at its next poll.
        problems.put(plugin.path(), new Problem(pluginId, plugin.version(), UNLOADED, plugin.fingerprint(),
                "unloaded by an operator; stays unloaded until its jar changes, load-plugin or rescan-plugins"));
        return true;
    }

    /** Unloads a plugin and loads its jar again. */
    public synchronized Optional<LoadResult> reload(String pluginId) {
        Loaded current = loaded.get(pluginId);
        if (current == null) {
            return Optional.empty();
        }
        unloadLocked(pluginId, "reloading");
        return Optional.of(load(current.path()));
    }

    /**
     * Brings the loaded plugins in line with the directory now, without waiting for files to settle:
     * new or changed jars are loaded, removed ones unloaded.
     */
    public synchronized List<LoadResult> rescan() {
        problems.clear();
        Map<Path, Fingerprint> files = scanDirectory();
        return sync(files, files.keySet());
    }

    /**
     * Loads each jar in {@code settled} that is new or changed since it was last loaded or refused,
     * and unloads each plugin loaded from this directory whose jar is not in {@code present}.
     */
    synchronized List<LoadResult> sync(Map<Path, Fingerprint> settled, Set<Path> present) {
        for (Loaded plugin : List.copyOf(loaded.values())) {
            if (plugin.path().startsWith(directory) && !present.contains(plugin.path())) {
                unloadLocked(plugin.pluginId(), "its jar was removed");
            }
        }
        problems.keySet().removeIf(path -> path.startsWith(directory) && !present.contains(path));
        if (!present.equals(lastPresent)) {
            // A jar refused as a duplicate, or that failed beside another, may load now that the folder changed
            // (an upgrade: the new jar added, then the old removed). One an operator unloaded stays unloaded.
            problems.values().removeIf(problem -> !UNLOADED.equals(problem.state()));
            lastPresent = Set.copyOf(present);
        }
        List<LoadResult> results = new ArrayList<>();
        for (Map.Entry<Path, Fingerprint> file : settled.entrySet()) {
            Path path = file.getKey();
            Optional<Loaded> current = loadedFrom(path);
            if (current.isPresent() && current.get().fingerprint().equals(file.getValue())) {
                continue;
            }
            Problem problem = problems.get(path);
            if (current.isEmpty() && problem != null && file.getValue().equals(problem.fingerprint())) {
                continue;
            }
            results.add(load(path));
        }
        return results;
    }

    /** Every plugin jar directly in the directory with its size and modification time; empty when it does not exist. */
    Map<Path, Fingerprint> scanDirectory() {
        Map<Path, Fingerprint> files = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, "*.jar")) {
            for (Path jar : jars) {
                try {
                    if (Files.isRegularFile(jar)) {
                        files.put(jar.toAbsolutePath().normalize(), fingerprint(jar));
                    }
                } catch (NoSuchFileException e) {
                    // removed while listing
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the plugins directory {}: {}", directory, e.toString());
        }
        return files;
    }

    /**
     * Logs which plugins and platforms are loaded and from which folder, and warns when no platform is:
     * the first thing to look at when a platform seems missing.
     */
    public synchronized void logLoaded() {
        List<String> platforms = loaded.values().stream().flatMap(plugin -> plugin.platforms().stream())
                .map(LoadedPlatform::platformId).sorted().toList();
        if (platforms.isEmpty()) {
            LOG.warn("No platform is loaded: no plugin jar in {} loaded{}. Build them (./mvnw package puts them in "
                    + "gatekit-app/target/plugins) or set GATEKIT_PLUGINS_DIR to a folder of plugin jars",
                    directory, problems.isEmpty() ? "" : " (" + problems.size() + " skipped, see above)");
            return;
        }
        List<String> plugins = loaded.values().stream().map(plugin -> plugin.pluginId() + " " + plugin.version()).sorted().toList();
        LOG.info("Platforms {} from plugins {} in {}{}", platforms, plugins, directory,
                problems.isEmpty() ? "" : "; " + problems.size() + " jar(s) skipped, see above");
    }

    public synchronized List<PluginInfo> plugins() {
        List<PluginInfo> infos = new ArrayList<>();
        for (Loaded plugin : loaded.values()) {
            PluginWrapper wrapper = manager.getPlugin(plugin.pluginId());
            String state = wrapper == null ? "UNKNOWN" : wrapper.getPluginState().toString();
            infos.add(new PluginInfo(plugin.pluginId(), plugin.version(), state, plugin.path().toString(),
                    plugin.platforms().stream().map(LoadedPlatform::platformId).toList(), null));
        }
        problems.forEach((path, problem) -> infos.add(new PluginInfo(problem.pluginId(), problem.version(), problem.state(),
                path.toString(), List.of(), problem.message())));
        infos.sort(Comparator.comparing(PluginInfo::path));
        return infos;
    }

    /** Whether a plugin is loaded and started now. */
    public synchronized boolean isStarted(String pluginId) {
        PluginWrapper wrapper = loaded.containsKey(pluginId) ? manager.getPlugin(pluginId) : null;
        return wrapper != null && wrapper.getPluginState() == PluginState.STARTED;
    }

    /** Unloads every plugin, one at a time (PF4J 3.15's stopPlugins() throws ConcurrentModificationException). */
    public synchronized void unloadAll() {
        for (String pluginId : List.copyOf(loaded.keySet())) {
            unloadLocked(pluginId, "the server is stopping");
        }
    }

    private boolean unloadLocked(String pluginId, String reason) {
        Loaded plugin = loaded.remove(pluginId);
        if (plugin == null) {
            return false;
        }
        registry.withdraw(pluginId, drainTimeout);
        discard(pluginId);
        LOG.info("Unloaded plugin '{}' {} ({}): {}", pluginId, plugin.version(), reason, plugin.path());
        return true;
    }

    private Optional<Loaded> loadedFrom(Path path) {
        return loaded.values().stream().filter(plugin -> plugin.path().equals(path)).findFirst();
    }

    private void discard(String pluginId) {
        try {
            PluginWrapper wrapper = manager.getPlugin(pluginId);
            if (wrapper != null && wrapper.getPluginState() == PluginState.STARTED) {
                manager.stopPlugin(pluginId);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Plugin '{}' failed while stopping: {}", pluginId, e.toString());
        }
        try {
            manager.unloadPlugin(pluginId);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Plugin '{}' failed while unloading: {}", pluginId, e.toString());
        }
    }

    private LoadResult refuse(Path path, String pluginId, String version, String state, Fingerprint fingerprint, String message) {
        problems.put(path, new Problem(pluginId, version, state, fingerprint, message));
        String who = pluginId == null ? "jar " + path : "plugin '" + pluginId + "' " + version + " (" + path + ")";
        if ("FAILED".equals(state)) {
            LOG.error("Skipping {}: {}", who, message);
        } else {
            LOG.error("Refusing {}: {}", who, message);
        }
        return new LoadResult(false, pluginId, version, List.of(), message);
    }

    private boolean apiSatisfies(String requires) {
        try {
            return manager.getVersionManager().checkVersionConstraint(GateKitPluginApi.VERSION, requires);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Fingerprint fingerprint(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new Fingerprint(attributes.size(), attributes.lastModifiedTime().toMillis(), attributes.fileKey());
    }
}
