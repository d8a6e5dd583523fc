package dev.gatekit.core.plugins;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platforms the loaded plugins serve, by platform id: what the rest of the core uses to find a
 * provider. Lookups are lock-free; the {@link PluginHost} alone adds and withdraws platforms.
 */
public final class PlatformRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformRegistry.class);

    private final Map<String, Entry> platforms = new ConcurrentHashMap<>();
    private final List<PlatformListener> listeners = new CopyOnWriteArrayList<>();

    public Optional<LoadedPlatform> find(String platformId) {
        Entry entry = platformId == null ? null : platforms.get(platformId);
        return entry == null || entry.closing ? Optional.empty() : Optional.of(entry.platform);
    }

    /** Every platform served now, by id. */
    public List<LoadedPlatform> all() {
        return platforms.values().stream()
                .filter(entry -> !entry.closing)
                .map(Entry::platform)
                .sorted(Comparator.comparing(LoadedPlatform::platformId))
                .toList();
    }

    /** The platforms served now, for a message telling a caller what would work: {@code "telegram, webhook"}. */
    public String describeLoaded() {
        List<String> ids = all().stream().map(LoadedPlatform::platformId).toList();
        return ids.isEmpty() ? "none (no platform plugin is loaded)" : String.join(", ", ids);
    }

    /**
     * Leases the platform for one call; close the lease when the call is done.
     *
     * @throws PlatformUnavailableException when no plugin serves it, or its plugin is being unloaded
     */
    public PlatformLease acquire(String platformId) {
        return tryAcquire(platformId).orElseThrow(() -> new PlatformUnavailableException(platformId));
    }

    public Optional<PlatformLease> tryAcquire(String platformId) {
        Entry entry = platformId == null ? null : platforms.get(platformId);
        if (entry == null || !entry.retain()) {
            return Optional.empty();
        }
        return Optional.of(new PlatformLease(entry));
    }

    public void addListener(PlatformListener listener) {
        listeners.add(listener);
    }

    public void removeListener(PlatformListener listener) {
        listeners.remove(listener);
    }

    /**
     * Claims every platform of one plugin, or none: returns the platforms already served by another
     * plugin (the claim is then not made).
     */
    synchronized List<LoadedPlatform> claim(List<LoadedPlatform> offered) {
        List<LoadedPlatform> taken = new ArrayList<>();
        for (LoadedPlatform platform : offered) {
            Entry existing = platforms.get(platform.platformId());
            if (existing != null) {
                taken.add(existing.platform);
            }
        }
        if (taken.isEmpty()) {
            offered.forEach(platform -> platforms.put(platform.platformId(), new Entry(platform)));
            offered.forEach(platform -> notify(platform, true));
        }
        return taken;
    }

    /**
     * Withdraws every platform of a plugin: no new lease is granted from now on; waits up to
     * {@code drainTimeout} for open leases to close, then tells the listeners.
     *
     * @return the platforms withdrawn
     */
    List<LoadedPlatform> withdraw(String pluginId, Duration drainTimeout) {
        List<Entry> entries;
        synchronized (this) {
            entries = platforms.values().stream().filter(e -> e.platform.pluginId().equals(pluginId)).toList();
            entries.forEach(Entry::close);
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (Entry entry : entries) {
            if (!entry.awaitDrained(deadline)) {
                LOG.warn("Unloading plugin '{}': {} call(s) to platform '{}' still running after {} s; unloading anyway",
                        pluginId, entry.leases, entry.platform.platformId(), drainTimeout.toSeconds());
            }
        }
        synchronized (this) {
            entries.forEach(entry -> platforms.remove(entry.platform.platformId(), entry));
        }
        entries.forEach(entry -> notify(entry.platform, false));
        return entries.stream().map(Entry::platform).toList();
    }

    private void notify(LoadedPlatform platform, boolean added) {
        for (PlatformListener listener : listeners) {
            try {
                if (added) {
                    listener.platformAdded(platform);
                } else {
                    listener.platformRemoved(platform);
                }
            } catch (RuntimeException e) {
                LOG.error("A platform listener failed on platform '{}' {}", platform.platformId(), added ? "added" : "removed", e);
            }
        }
    }

    /** One platform with its open leases. */
    static final class Entry {
        private final LoadedPlatform platform;
        private int leases;
        private volatile boolean closing;

        Entry(LoadedPlatform platform) {
            this.platform = platform;
        }

        LoadedPlatform platform() {
            return platform;
        }

        synchronized boolean retain() {
            if (closing) {
                return false;
            }
            leases++;
            return true;
        }

        synchronized void release() {
            leases--;
            if (leases == 0) {
                notifyAll();
            }
        }

        synchronized void close() {
            closing = true;
        }

        synchronized boolean awaitDrained(long deadlineNanos) {
            while (leases > 0) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                try {
                    wait(Math.max(1, remaining / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
