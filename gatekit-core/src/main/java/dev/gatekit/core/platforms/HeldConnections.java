package dev.gatekit.core.platforms;

import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.plugins.LoadedPlatform;
import dev.gatekit.core.plugins.PlatformLease;
import dev.gatekit.core.plugins.PlatformListener;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.core.threads.DaemonThreads;
import dev.gatekit.plugin.api.Capability;
import dev.gatekit.plugin.api.PlatformDescriptor;
import io.dropwizard.lifecycle.Managed;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 * events stored once, and a registration repeated by each process is the same. Opening that Postgres
 * was out of reach for is tried again a few seconds later, until it goes through.
 */
public final class HeldConnections implements PlatformListener, Managed {

    private static final Logger LOG = LoggerFactory.getLogger(HeldConnections.class);

    private final PlatformRegistry registry;
    private final PlatformConfigurationService configurations;
    private final PlatformClients clients;
    private final PlatformContexts contexts;
    private final DatabaseOutage outage;
    // One thread: opening is rare, and a plugin's openClient may call the platform.
    private final ScheduledExecutorService opener = DaemonThreads.timer("gatekit-held-connections");

    public HeldConnections(PlatformRegistry registry, PlatformConfigurationService configurations, PlatformClients clients,
                           PlatformContexts contexts, DatabaseOutage outage) {
        this.registry = registry;
        this.configurations = configurations;
        this.clients = clients;
        this.contexts = contexts;
        this.outage = outage;
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
            if (DatabaseOutage.isUnavailable(e)) {
                throw new OpeningDeferred(e);
            }
            LOG.warn("Could not open the {} connection of configuration {}: {}", configuration.platform(), configuration.id(), e.toString());
        }
    }

    private static boolean opensAhead(PlatformDescriptor descriptor) {
        return descriptor.supports(Capability.INBOUND_CONNECTION) || descriptor.supports(Capability.WEBHOOK_REGISTRATION);
    }

    private void submit(Runnable task) {
        schedule(task, 0);
    }

    private void schedule(Runnable task, long delaySeconds) {
        try {
            opener.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    if (outage.absorbs(e)) {
                        // Opening a client that is already open costs nothing: the whole task runs again.
                        schedule(task, DatabaseOutage.RETRY_AFTER_SECONDS);
                    } else {
                        LOG.warn("Opening held platform connections failed: {}", e.toString());
                    }
                }
            }, delaySeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // Stopping: the connections are not wanted any more.
        }
    }

    /** Postgres was out of reach while opening a connection: the task is tried again later. */
    private static final class OpeningDeferred extends RuntimeException {
        OpeningDeferred(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        opener.shutdownNow();
        opener.awaitTermination(5, TimeUnit.SECONDS);
    }
}
