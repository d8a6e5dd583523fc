package dev.gatekit.core.plugins;

import dev.gatekit.core.threads.DaemonThreads;
import io.dropwizard.lifecycle.Managed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugins directory at start-up, then polls it: a jar added is loaded, a jar replaced is
 * reloaded, a jar removed is unloaded, while the server runs. Polling size, modification time and
 * file key (rather than a WatchService) also works on network and container file systems; a jar is
 * acted on only once two polls in a row see it unchanged, so a half-copied file is never loaded.
 * At stop, every plugin is unloaded, one at a time.
 */
public final class PluginDirectoryWatcher implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(PluginDirectoryWatcher.class);

    private final PluginHost host;
    private final Duration interval;
    private ScheduledExecutorService scheduler;
    private Map<Path, PluginHost.Fingerprint> previous = new HashMap<>();

    public PluginDirectoryWatcher(PluginHost host, Duration interval) {
        this.host = host;
        this.interval = interval;
    }

    @Override
    public void start() {
        if (!Files.isDirectory(host.directory())) {
            LOG.warn("The plugins directory {} does not exist; no platform is available until jars appear there", host.directory());
        }
        previous = host.scanDirectory();
        host.sync(previous, previous.keySet());
        host.logLoaded();
        scheduler = DaemonThreads.timer("gatekit-plugin-watcher");
        scheduler.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void poll() {
        try {
            Map<Path, PluginHost.Fingerprint> now = host.scanDirectory();
            Map<Path, PluginHost.Fingerprint> settled = new HashMap<>();
            now.forEach((path, fingerprint) -> {
                if (fingerprint.equals(previous.get(path))) {
                    settled.put(path, fingerprint);
                }
            });
            previous = now;
            host.sync(settled, now.keySet());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Scanning the plugins directory {} failed; trying again in {} ms", host.directory(), interval.toMillis(), e);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        }
        host.unloadAll();
    }
}
