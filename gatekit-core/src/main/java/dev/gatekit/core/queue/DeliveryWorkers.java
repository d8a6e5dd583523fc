package dev.gatekit.core.queue;

import dev.gatekit.core.messages.MessageBody;
import dev.gatekit.core.messages.MessageRecord;
import dev.gatekit.core.messages.MessageStore.Outcome;
import dev.gatekit.core.messages.MessageStore;
import dev.gatekit.core.messages.PlatformMessages;
import dev.gatekit.core.messages.TargetRecord;
import dev.gatekit.core.messages.TargetState;
import dev.gatekit.core.platforms.PlatformClients;
import dev.gatekit.core.platforms.PlatformConfigurationService;
import dev.gatekit.core.platforms.PlatformContexts;
import dev.gatekit.core.platforms.StoredPlatformConfiguration;
import dev.gatekit.core.plugins.PlatformLease;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import io.dropwizard.lifecycle.Managed;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery workers of this process: each takes a ready target from Redis, leases it in
 * Postgres (so no two workers ever hold it at once), delivers it through its platform's plugin
 * and records the outcome. A drain stops taking work and waits for what is in flight.
 */
public class DeliveryWorkers implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorkers.class);
    private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PROMOTE_INTERVAL = Duration.ofMillis(200);
    private static final Duration REDIS_DOWN_BACKOFF = Duration.ofSeconds(1);
    /** Reason code of a send refused because the platform URL now points at a private address. */
    static final String BLOCKED_ADDRESS = "blocked_address";

    private final QueueSettings settings;
    private final DispatchQueue queue;
    private final MessageStore store;
    private final PlatformRegistry registry;
    private final PlatformConfigurationService configurations;
    private final PlatformClients clients;
    private final PlatformContexts contexts;
    private final DeliveryLimiter limiter;
    private final Clock clock;
    private final String instanceId = ManagementFactory.getRuntimeMXBean().getName();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private ExecutorService workers;
    private ScheduledExecutorService promoter;
    private ScheduledExecutorService leaseRenewer;

    public DeliveryWorkers(QueueSettings settings, DispatchQueue queue, MessageStore store, PlatformRegistry registry,
                           PlatformConfigurationService configurations, PlatformClients clients, PlatformContexts contexts,
                           DeliveryLimiter limiter, Clock clock) {
        this.settings = settings;
        this.queue = queue;
        this.store = store;
        this.registry = registry;
        this.configurations = configurations;
        this.clients = clients;
        this.contexts = contexts;
        this.limiter = limiter;
        this.clock = clock;
    }

    @Override
    public void start() {
        if (settings.workers() <= 0 || !running.compareAndSet(false, true)) {
            return;
        }
        draining.set(false);
        workers = Executors.newFixedThreadPool(settings.workers(), named("gatekit-delivery"));
        for (int i = 0; i < settings.workers(); i++) {
            String worker = instanceId + "/" + i;
            workers.submit(() -> loop(worker));
        }
        promoter = Executors.newSingleThreadScheduledExecutor(named("gatekit-promoter"));
        leaseRenewer = Executors.newSingleThreadScheduledExecutor(named("gatekit-lease-renewer"));
        promoter.scheduleWithFixedDelay(this::promoteDue, 0, PROMOTE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Started {} delivery workers", settings.workers());
    }

    /** Finishes what is in flight and takes nothing new; whatever is still queued waits for another worker. */
    @Override
    public void stop() throws InterruptedException {
        drain(Duration.ofSeconds(30));
        if (workers != null) {
            workers.shutdownNow();
            workers.awaitTermination(10, TimeUnit.SECONDS);
            promoter.shutdownNow();
            leaseRenewer.shutdownNow();
        }
        running.set(false);
    }

    /** Stops taking work and waits, up to {@code timeout}, for in-flight deliveries; true when none is left. */
    public boolean drain(Duration timeout) throws InterruptedException {
        draining.set(true);
        Instant deadline = clock.instant().plus(timeout);
        while (inFlight.get() > 0 && clock.instant().isBefore(deadline)) {
            Thread.sleep(50);
        }
        return inFlight.get() == 0;
    }

    public void resumeAfterDrain() {
        draining.set(false);
    }

    public boolean isDraining() {
        return draining.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    private void loop(String worker) {
        while (running.get() && !Thread.currentThread().isInterrupted()) {
            if (draining.get()) {
                pause(TAKE_TIMEOUT);
                continue;
            }
            Optional<DispatchQueue.Entry> entry;
            try {
                entry = queue.take(TAKE_TIMEOUT);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                LOG.warn("Cannot take work from Redis ({}); retrying", e.toString());
                pause(REDIS_DOWN_BACKOFF);
                continue;
            }
            if (entry.isEmpty()) {
                continue;
            }
            inFlight.incrementAndGet();
            try {
                if (draining.get()) {
                    queue.enqueue(entry.get().targetId(), entry.get().priority());
                } else {
                    deliver(worker, entry.get());
                }
            } catch (RuntimeException | Error e) {
                // A worker thread must outlive any one target. The target stays leased; the sweeper
                // gives it back when the lease expires.
                LOG.error("Delivery of target {} failed unexpectedly", entry.get().targetId(), e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private void deliver(String worker, DispatchQueue.Entry entry) {
        Optional<MessageStore.Claimed> claimed = store.claim(entry.targetId(), worker, settings.lease());
        if (claimed.isEmpty()) {
            return;
        }
        TargetRecord target = claimed.get().target();
        MessageRecord message = claimed.get().message();
        try {
            deliverClaimed(worker, target, message);
        } catch (RuntimeException e) {
            // Our own failure (Redis, a bad stored body…), not the platform's: counted as an attempt, so
            // a target that always trips it ends failed after the retries instead of looping forever.
            LOG.warn("Could not deliver target {}: {}", target.id(), e.toString());
            store.startAttempt(target, worker).ifPresent(attempt ->
                    retryOrFail(worker, target, message, attempt, clock.instant(), "internal error: " + e, Optional.empty()));
        }
    }

    private void deliverClaimed(String worker, TargetRecord target, MessageRecord message) {
        if (queue.isPaused(target.platform())) {
            if (store.release(target, worker, TargetState.QUEUED, null)) {
                queue.park(target.id(), message.priority(), target.platform());
            }
            return;
        }
        Optional<StoredPlatformConfiguration> configuration = configurations.find(target.configurationId());
        if (configuration.isEmpty()) {
            failWithoutAttempt(worker, target, message, "configuration_removed", "The platform configuration was deleted");
            return;
        }
        if (!configuration.get().isActive()) {
            failWithoutAttempt(worker, target, message, "configuration_inactive", "The platform configuration is switched off");
            return;
        }
        Optional<PlatformLease> lease = registry.tryAcquire(target.platform());
        if (lease.isEmpty()) {
            handBack(worker, target, message, TargetState.WAITING, null);
            return;
        }
        try (PlatformLease held = lease.get()) {
            deliverWithPlugin(worker, target, message, configuration.get(), held);
        }
    }

    private void deliverWithPlugin(String worker, TargetRecord target, MessageRecord message, StoredPlatformConfiguration configuration,
                                   PlatformLease lease) {
        MessageBody body = message.parsedBody();
        MessageBody.Target bodyTarget = body.targets().get(target.position());
        var unsupported = PlatformMessages.unsupported(body, bodyTarget, "targets[" + target.position() + "]", lease.descriptor());
        if (!unsupported.isEmpty()) {
            failWithoutAttempt(worker, target, message, ReasonCodes.UNSUPPORTED_CONTENT, unsupported.get(0).field() + ": " + unsupported.get(0).problem());
            return;
        }
        Optional<String> unsafe = configuration.testMode() ? Optional.empty() : configurations.unsafeAddress(configuration, lease.descriptor());
        if (unsafe.isPresent()) {
            failWithoutAttempt(worker, target, message, BLOCKED_ADDRESS, unsafe.get());
            return;
        }
        Optional<Duration> wait = limiter.waitBeforeSending(configuration.id(), target.targetId(),
                configuration.limits().over(lease.descriptor().defaultLimits()));
        if (wait.isPresent()) {
            handBack(worker, target, message, TargetState.DELAYED, clock.instant().plus(wait.get()));
            return;
        }
        Optional<Integer> attempt = store.startAttempt(target, worker);
        if (attempt.isEmpty()) {
            return;
        }
        Instant started = clock.instant();
        ScheduledFuture<?> renewal = renewLeaseWhileSending(target, worker);
        try {
            DeliveryReceipt receipt = configuration.testMode()
                    ? new DeliveryReceipt(List.of(), java.util.Map.of("testMode", "true"))
                    : send(lease, configuration, target, body, bodyTarget);
            finish(worker, target, message, attempt.get(), started, Outcome.DELIVERED, null, null, receipt.platformMessageIds());
        } catch (RetryableDeliveryException e) {
            retryOrFail(worker, target, message, attempt.get(), started, e.getMessage(), e.retryAfter());
        } catch (PermanentDeliveryException e) {
            finish(worker, target, message, attempt.get(), started, Outcome.FAILED, e.getMessage(), e.reasonCode(), null);
        } catch (DeliveryException e) {
            retryOrFail(worker, target, message, attempt.get(), started, e.getMessage(), Optional.empty());
        } catch (InvalidConfigurationException e) {
            finish(worker, target, message, attempt.get(), started, Outcome.FAILED, e.getMessage(), ReasonCodes.INVALID_CONFIGURATION, null);
        } catch (IllegalArgumentException e) {
            finish(worker, target, message, attempt.get(), started, Outcome.FAILED, e.getMessage(), ReasonCodes.CONTENT_REJECTED, null);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("The {} plugin threw while sending target {}", target.platform(), target.id(), e);
            retryOrFail(worker, target, message, attempt.get(), started, "plugin error: " + e, Optional.empty());
        } finally {
            renewal.cancel(false);
        }
    }

    /**
     * A platform may take longer than the lease to answer; renewing the lease every third of it keeps
     * the sweeper from handing the target to another worker (a second send) while this one waits.
     */
    private ScheduledFuture<?> renewLeaseWhileSending(TargetRecord target, String worker) {
        long every = Math.max(100, settings.lease().toMillis() / 3);
        return leaseRenewer.scheduleAtFixedRate(() -> {
            try {
                store.dao().renewLease(target.id(), worker, clock.instant().plus(settings.lease()));
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the lease on target {}: {}", target.id(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private DeliveryReceipt send(PlatformLease lease, StoredPlatformConfiguration configuration, TargetRecord target, MessageBody body,
                                 MessageBody.Target bodyTarget) throws DeliveryException, InvalidConfigurationException {
        PlatformClient client = clients.client(lease, configuration.id(), configurations.decrypt(configuration),
                contexts.forConfiguration(configuration));
        return client.send(PlatformMessages.toOutbound(target.id().toString(), body, bodyTarget));
    }

    /** Records a final outcome (the store tells the listeners). */
    private void finish(String worker, TargetRecord target, MessageRecord message, int attempt, Instant started, Outcome outcome,
                        String error, String reasonCode, List<String> platformMessageIds) {
        store.finish(message, target, worker, attempt, started, outcome, null, error, reasonCode, platformMessageIds);
    }

    private void retryOrFail(String worker, TargetRecord target, MessageRecord message, int attempt, Instant started, String error,
                             Optional<Duration> retryAfter) {
        if (settings.retry().exhausted(attempt)) {
            finish(worker, target, message, attempt, started, Outcome.FAILED, error, "retries_exhausted", null);
            return;
        }
        Instant next = clock.instant().plus(retryAfter.orElseGet(() -> settings.retry().backoff(attempt)));
        if (store.finish(message, target, worker, attempt, started, Outcome.RETRY, next, error, null, null).isPresent()) {
            scheduleQuietly(target.id(), message, next);
        }
    }

    private void handBack(String worker, TargetRecord target, MessageRecord message, TargetState state, Instant next) {
        if (store.release(target, worker, state, next) && state != TargetState.WAITING) {
            scheduleQuietly(target.id(), message, next);
        }
    }

    private void failWithoutAttempt(String worker, TargetRecord target, MessageRecord message, String reasonCode, String error) {
        Instant now = clock.instant();
        store.startAttempt(target, worker).ifPresent(attempt ->
                finish(worker, target, message, attempt, now, Outcome.FAILED, error, reasonCode, null));
    }

    /** Redis may be down right now; the sweeper re-adds the target from Postgres when it is back. */
    private void scheduleQuietly(UUID targetId, MessageRecord message, Instant due) {
        try {
            queue.schedule(targetId, message.priority(), due);
        } catch (RuntimeException e) {
            LOG.warn("Could not schedule target {} in Redis; the sweeper will: {}", targetId, e.toString());
        }
    }

    private void promoteDue() {
        try {
            queue.promoteDue();
        } catch (RuntimeException e) {
            LOG.debug("Cannot promote delayed targets: {}", e.toString());
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
