package dev.gatekit.core.platforms;

import dev.gatekit.core.plugins.LoadedPlatform;
import dev.gatekit.core.plugins.PlatformLease;
import dev.gatekit.core.plugins.PlatformListener;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open {@link PlatformClient}s, one per platform configuration. A client is closed when its
 * configuration changes or is deleted ({@link #evict}) and, before its plugin is unloaded, when its
 * platform goes away (the registry calls {@link #platformRemoved} once in-flight calls drained).
 */
public final class PlatformClients implements PlatformListener {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformClients.class);

    private record Open(String platformId, String pluginId, PlatformClient client) {
    }

    private final Map<UUID, Open> open = new ConcurrentHashMap<>();
    private final Map<Class<?>, Boolean> asyncByClass = new ConcurrentHashMap<>();

    /** The configuration's client if it is already open by the lease's plugin; never opens one, so never blocks. */
    public Optional<PlatformClient> ifOpen(PlatformLease lease, UUID configurationId) {
        Open current = open.get(configurationId);
        return current != null && current.pluginId().equals(lease.platform().pluginId()) ? Optional.of(current.client()) : Optional.empty();
    }

    /**
     * Whether a client sends without blocking: it overrides {@link PlatformClient#sendAsync}. The host
     * then calls only that, from a thread that serves every configuration.
     */
    public boolean isAsync(PlatformClient client) {
        return asyncByClass.computeIfAbsent(client.getClass(), type -> {
            try {
                return type.getMethod("sendAsync", OutboundMessage.class).getDeclaringClass() != PlatformClient.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        });
    }

    /**
     * The client of one configuration, opened on first use (which may block: a plugin may log in to
     * its platform). Call it while holding the platform's lease, and use the client only under that
     * lease. The configuration, with its credentials decrypted, is only asked for when a client opens.
     */
    public PlatformClient client(PlatformLease lease, UUID configurationId, Supplier<PlatformConfiguration> configuration,
                                 PlatformContext context) throws InvalidConfigurationException {
        Open current = open.get(configurationId);
        if (current != null && current.pluginId().equals(lease.platform().pluginId())) {
            return current.client();
        }
        synchronized (this) {
            current = open.get(configurationId);
            if (current != null && current.pluginId().equals(lease.platform().pluginId())) {
                return current.client();
            }
            if (current != null) {
                close(configurationId, current);
            }
            PlatformClient client = lease.provider().openClient(configuration.get(), context);
            open.put(configurationId, new Open(lease.platform().platformId(), lease.platform().pluginId(), client));
            return client;
        }
    }

    /** Closes the configuration's client, if one is open. */
    public void evict(UUID configurationId) {
        Open current = open.remove(configurationId);
        if (current != null) {
            closeQuietly(configurationId, current);
        }
    }

    /** The health of every open client of a platform. */
    public List<HealthStatus> health(String platformId) {
        return open.values().stream().filter(o -> o.platformId().equals(platformId)).map(o -> {
            try {
                return o.client().health();
            } catch (RuntimeException e) {
                return HealthStatus.down(e.getClass().getSimpleName());
            }
        }).toList();
    }

    @Override
    public void platformRemoved(LoadedPlatform platform) {
        open.forEach((id, client) -> {
            if (client.pluginId().equals(platform.pluginId()) && client.platformId().equals(platform.platformId())) {
                close(id, client);
            }
        });
    }

    private void close(UUID id, Open client) {
        if (open.remove(id, client)) {
            closeQuietly(id, client);
        }
    }

    private static void closeQuietly(UUID id, Open client) {
        try {
            client.client().close();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Closing the {} client of configuration {} failed: {}", client.platformId(), id, e.toString());
        }
    }
}
