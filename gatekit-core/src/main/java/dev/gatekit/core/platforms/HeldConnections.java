package dev.gatekit.core.platforms;

import dev.gatekit.core.plugins.LoadedPlatform;
import dev.gatekit.core.plugins.PlatformLease;
import dev.gatekit.core.plugins.PlatformListener;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.plugin.api.Capability;
import dev.gatekit.plugin.api.PlatformDescriptor;
import io.dropwizard.lifecycle.Managed;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens, without waiting for a first send, the client of every active configuration whose platform
 * receives over a connection the plugin holds ({@link Capability#INBOUND_CONNECTION}, Discord's gateway
 * say) or registers its webhook URL when its client opens ({@link Capability#WEBHOOK_REGISTRATION},
 * Telegram's setWebhook): when its plugin loads and when a configuration is created or changed (a
 * rolled webhook token too). Otherwise such a configuration would receive nothing until something was
 * sent through it. Each GateKit process holds its own connection; the platform's event ids keep the
 * events stored once, and a registration repeated by each process is the same.
 */
public final class HeldConnections implements PlatformListener, Managed {

    private static final Logger LOG = LoggerFactory.getLogger(HeldConnections.class);

    private final PlatformRegistry registry;
    private final PlatformConfigurationService configurations;
    private final PlatformClients clients;
    private final PlatformContexts contexts;
    // One thread: opening is rare, and a plugin's openClient may call the platform.
    private final ExecutorService opener = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gatekit-held-connections");
        thread.setDaemon(true);
        return thread;
    });

    public HeldConnections(PlatformRegistry registry, PlatformConfigurationService configurations, PlatformClients clients,
                           PlatformContexts contexts) {
        this.registry = registry;
        this.configurations = configurations;
        this.clients = clients;
        this.contexts = contexts;
    }

    @Override
    public void platformAdded(LoadedPlatform platform) {
        if (opensAhead(platform.descriptor())) {
            submit(() -> configurations.activeForPlatform(platform.platformId()).forEach(this::open));
        }
    }

    /** A configuration was created or changed: open its client again if its platform holds a connection. */
    public void configurationSaved(StoredPlatformConfiguration configuration) {
        if (configuration.isActive()) {
            submit(() -> open(configuration));
        }
    }

    private void open(StoredPlatformConfiguration configuration) {
        Optional<PlatformLease> lease = registry.tryAcquire(configuration.platform());
        if (lease.isEmpty()) {
            return;
        }
        try (PlatformLease held = lease.get()) {
            if (opensAhead(held.descriptor())) {
                clients.client(held, configuration.id(), () -> configurations.decrypt(configuration), contexts.forConfiguration(configuration));
            }
        } catch (Exception | LinkageError e) {
            LOG.warn("Could not open the {} connection of configuration {}: {}", configuration.platform(), configuration.id(), e.toString());
        }
    }

    private static boolean opensAhead(PlatformDescriptor descriptor) {
        return descriptor.supports(Capability.INBOUND_CONNECTION) || descriptor.supports(Capability.WEBHOOK_REGISTRATION);
    }

    private void submit(Runnable task) {
        try {
            opener.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Opening held platform connections failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // Stopping: the connections are not wanted any more.
        }
    }

    @Override
    public void stop() throws InterruptedException {
        opener.shutdownNow();
        opener.awaitTermination(5, TimeUnit.SECONDS);
    }
}
