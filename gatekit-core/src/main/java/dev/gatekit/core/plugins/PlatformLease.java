package dev.gatekit.core.plugins;

import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.PlatformProvider;

/**
 * The right to call one platform's plugin until {@link #close()}: while any lease is open, the
 * plugin is not unloaded (an unload waits, bounded, for leases to drain). Take one around every
 * call into a provider or a client it opened:
 * <pre>{@code
 * try (PlatformLease lease = registry.acquire("webhook")) {
 *     lease.provider().validateCredentials(configuration, context);
 * }
 * }</pre>
 */
public final class PlatformLease implements AutoCloseable {

    private final PlatformRegistry.Entry entry;
    private boolean closed;

    PlatformLease(PlatformRegistry.Entry entry) {
        this.entry = entry;
    }

    public LoadedPlatform platform() {
        return entry.platform();
    }

    public PlatformProvider provider() {
        return entry.platform().provider();
    }

    public PlatformDescriptor descriptor() {
        return entry.platform().descriptor();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            entry.release();
        }
    }
}
