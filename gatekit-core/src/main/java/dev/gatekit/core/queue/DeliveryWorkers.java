package dev.gatekit.core.queue;

import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.db.HandleSession;
import dev.gatekit.core.db.OutageBackoff;
import dev.gatekit.core.db.SqlErrors;
import dev.gatekit.core.errors.Causes;
import dev.gatekit.core.messages.MessageDao;
import dev.gatekit.core.messages.MessageBody;
import dev.gatekit.core.messages.MessageDao.PendingTarget;
import dev.gatekit.core.messages.MessageRecord;
import dev.gatekit.core.messages.MessageStore.Claimed;
import dev.gatekit.core.messages.MessageStore.Finished;
import dev.gatekit.core.messages.MessageStore.Outcome;
import dev.gatekit.core.messages.MessageStore;
import dev.gatekit.core.messages.PlatformMessages;
import dev.gatekit.core.messages.TargetRecord;
import dev.gatekit.core.messages.TargetState;
import dev.gatekit.core.platforms.IncompleteConfigurationException;
import dev.gatekit.core.platforms.PlatformClients;
import dev.gatekit.core.platforms.PlatformConfigurationService;
import dev.gatekit.core.platforms.PlatformContexts;
import dev.gatekit.core.platforms.StoredPlatformConfiguration;
import dev.gatekit.core.plugins.PlatformLease;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.core.queue.DeliveryLanes.Lane;
import dev.gatekit.core.queue.DeliveryLanes.LaneInfo;
import dev.gatekit.core.queue.DispatchQueue.Entry;
import dev.gatekit.core.ratelimit.RateBudgets;
import dev.gatekit.core.threads.DaemonThreads;
import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryLimits;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RefusedAddressException;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import io.dropwizard.lifecycle.Managed;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's delivery: three threads and the sends they start.
 * <ul>
 *   <li>the fetcher takes ready targets from Redis in batches, while the dispatcher has room;</li>
 *   <li>the dispatcher keeps them per platform configuration ({@link DeliveryLanes}), takes rate-limit
 *       budget for many at once, claims a batch in Postgres with one statement (the lease, the attempt
 *       count and the messages read together) and starts each send: an asynchronous plugin on the
 *       dispatcher thread itself, a blocking one on a small pool;</li>
 *   <li>the finisher records outcomes in batches (one transaction for many), schedules retries in
 *       Redis in one call, and renews the leases of everything still in flight in one statement.</li>
 * </ul>
 * A target is leased in Postgres before it is sent, so no two processes ever send it at once; a
 * process that dies leaves leases that expire, and the {@link QueueSweeper} puts them back. While
 * Postgres is out of reach the dispatcher claims nothing and the finisher keeps the outcomes it
 * could not record, trying again with a back-off; the outage is logged once, by {@link DatabaseOutage}.
 */
public class DeliveryWorkers implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorkers.class);
    /** Reason code of a send refused because the platform URL now points at a private address. */
    static final String BLOCKED_ADDRESS = "blocked_address";
    /** How the error of a plugin's unexpected exception starts. */
    private static final String PLUGIN_ERROR = "plugin error: ";
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int FETCH_BATCH = 500;
    private static final int FINISH_BATCH = 1_000;
    private static final int FINISH_ENOUGH = 64;
    private static final Duration FINISH_LINGER = Duration.ofMillis(5);
    private static final Duration TAKE_WAIT = Duration.ofSeconds(1);
    private static final Duration IDLE_WAIT = Duration.ofMillis(50);
    private static final Duration REDIS_DOWN_BACKOFF = Duration.ofSeconds(1);
    private static final Duration PROMOTE_INTERVAL = Duration.ofMillis(200);
    private static final Duration PAUSED_MAX_AGE = Duration.ofMillis(250);
    private static final Duration HELD_CHECK_INTERVAL = Duration.ofMillis(500);

    /**
     * A claimed target on its way: what the finisher needs to record its outcome.
     *
     * @param body       the message as stored (null when it could not be read)
     * @param onlyTarget whether the target is its message's only one
     */
    private record Delivery(Claimed claimed, MessageBody body, boolean onlyTarget, Lane lane, Instant startedAt, AtomicBoolean sending) {
        TargetRecord target() {
            return claimed.target();
        }

        MessageRecord message() {
            return claimed.message();
        }
    }

    /** A finished send, or a claimed target that never got sent (no plugin, paused meanwhile, …). */
    private record Done(Delivery delivery, Finished finished, MessageStore.Release release) {
    }

    private final QueueSettings settings;
    private final DispatchQueue queue;
    private final MessageStore store;
    private final PlatformRegistry registry;
    private final PlatformConfigurationService configurations;
    private final PlatformClients clients;
    private final PlatformContexts contexts;
    private final DeliveryLimiter limiter;
    private final Clock clock;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName();
    private final DeliveryLanes lanes;
    private final ConcurrentLinkedQueue<List<Entry>> fetched = new ConcurrentLinkedQueue<>();
    /** Claimed targets waiting for a free place in their lane's sending bound; the dispatcher's alone. */
    private final Map<Lane, ArrayDeque<Delivery>> claimedWaiting = new LinkedHashMap<>();
    private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
    /** Claimed and not yet recorded, by target id: their leases are renewed, a drain waits for them. */
    private final Map<UUID, Delivery> inFlight = new ConcurrentHashMap<>();
    private final Semaphore wakeDispatcher = new Semaphore(0);
    private final Semaphore wakeFetcher = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean drainRequested = new AtomicBoolean();
    private ExecutorService loops;
    private ExecutorService blockingSends;
    private ScheduledExecutorService timer;
    private Instant lastHeldCheck = Instant.MIN;
    /** Lanes this dispatcher held targets back for: it takes them back as soon as there is room, not on the next check. */
    private final Set<UUID> heldHere = new HashSet<>();
    /** The dispatcher's connection (claims) and the finisher's (outcomes, lease renewals), each kept by its thread. */
    private final HandleSession<MessageDao> dispatcherSession;
    private final HandleSession<MessageDao> finisherSession;
    private final DatabaseOutage outage;
    private final OutageBackoff dispatcherBackoff;
    private final OutageBackoff finisherBackoff;

    public DeliveryWorkers(QueueSettings settings, DispatchQueue queue, MessageStore store, PlatformRegistry registry,
                           PlatformConfigurationService configurations, PlatformClients clients, PlatformContexts contexts,
                           DeliveryLimiter limiter, Clock clock, DatabaseOutage outage) {
        this.settings = settings;
        this.queue = queue;
        this.store = store;
        this.registry = registry;
        this.configurations = configurations;
        this.clients = clients;
        this.contexts = contexts;
        this.limiter = limiter;
        this.clock = clock;
        this.dispatcherSession = store.openSession();
        this.finisherSession = store.openSession();
        this.outage = outage;
        this.dispatcherBackoff = new OutageBackoff(outage);
        this.finisherBackoff = new OutageBackoff(outage);
        this.lanes = new DeliveryLanes(new DeliveryLanes.Bounds(settings.maxInFlightPerConfiguration(),
                settings.blockingPerConfiguration(), settings.maxInFlightPerProject(), settings.maxInFlight(),
                Math.max(4 * FETCH_BATCH, settings.maxInFlightPerConfiguration() * 8), Math.max(4 * FETCH_BATCH, settings.maxInFlight() * 4)));
    }

    /** The name this process's leases carry. */
    public String owner() {
        return owner;
    }

    @Override
    public void start() {
        if (settings.workers() <= 0 || !running.compareAndSet(false, true)) {
            return;
        }
        draining.set(false);
        loops = Executors.newFixedThreadPool(3, DaemonThreads.numbered("gatekit-delivery"));
        blockingSends = Executors.newFixedThreadPool(settings.workers(), DaemonThreads.numbered("gatekit-send"));
        timer = DaemonThreads.timer("gatekit-delivery-timer");
        loops.submit(() -> survive("fetcher", this::fetch));
        loops.submit(() -> survive("dispatcher", this::dispatch));
        loops.submit(() -> survive("finisher", this::finish));
        timer.scheduleWithFixedDelay(this::promoteDue, 0, PROMOTE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Delivery started: {} threads for blocking plugins, at most {} sends in flight ({} per configuration, {} per project)",
                settings.workers(), settings.maxInFlight(), settings.maxInFlightPerConfiguration(), settings.maxInFlightPerProject());
    }

    /** Finishes what is in flight and takes nothing new; whatever is still queued waits for another process. */
    @Override
    public void stop() throws InterruptedException {
        if (!running.get()) {
            return;
        }
        drain(Duration.ofSeconds(30));
        running.set(false);
        wakeDispatcher.release();
        wakeFetcher.release();
        loops.shutdownNow();
        loops.awaitTermination(10, TimeUnit.SECONDS);
        blockingSends.shutdownNow();
        timer.shutdownNow();
        dispatcherSession.close();
        finisherSession.close();
    }

    /** Stops taking work and waits, up to {@code timeout}, for in-flight deliveries; true when none is left. */
    public boolean drain(Duration timeout) throws InterruptedException {
        draining.set(true);
        drainRequested.set(true);
        wakeDispatcher.release();
        Instant deadline = clock.instant().plus(timeout);
        while ((drainRequested.get() || !inFlight.isEmpty() || !done.isEmpty()) && running.get() && clock.instant().isBefore(deadline)) {
            Thread.sleep(20);
        }
        return inFlight.isEmpty();
    }

    public void resumeAfterDrain() {
        draining.set(false);
        wakeFetcher.release();
    }

    public boolean isDraining() {
        return draining.get();
    }

    public int inFlight() {
        return inFlight.size();
    }

    // ---- fetcher -------------------------------------------------------------------------------

    private void fetch() throws InterruptedException {
        while (running.get()) {
            int room = lanes.pendingRoom() - queuedInFetched();
            if (draining.get() || room < FETCH_BATCH / 4) {
                wakeFetcher.tryAcquire(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                continue;
            }
            try {
                List<Entry> taken = queue.takeBatch(Math.min(room, FETCH_BATCH), TAKE_WAIT);
                if (!taken.isEmpty()) {
                    fetched.add(taken);
                    wakeDispatcher.release();
                }
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                LOG.warn("Cannot take work from Redis ({}); retrying", e.toString());
                Thread.sleep(REDIS_DOWN_BACKOFF.toMillis());
            }
        }
    }

    private int queuedInFetched() {
        int n = 0;
        for (List<Entry> batch : fetched) {
            n += batch.size();
        }
        return n;
    }

    // ---- dispatcher ----------------------------------------------------------------------------

    private void dispatch() throws InterruptedException {
        while (running.get()) {
            wakeDispatcher.tryAcquire(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            wakeDispatcher.drainPermits();
            for (List<Entry> batch = fetched.poll(); batch != null; batch = fetched.poll()) {
                lanes.add(batch).forEach(this::holdBackQuietly);
            }
            if (draining.get()) {
                if (drainRequested.getAndSet(false)) {
                    giveBack(lanes.drainAll());
                    claimedWaiting.values().forEach(waiting -> waiting.forEach(d -> handBack(d, TargetState.QUEUED, null)));
                    claimedWaiting.clear();
                }
                continue;
            }
            try {
                takeBackHeld();
                startSome();
                dispatcherBackoff.succeeded();
            } catch (RuntimeException e) {
                if (dispatcherBackoff.absorbs(e)) {
                    dispatcherBackoff.sleep();
                } else {
                    LOG.warn("Delivery dispatch failed (will try again): {}", e.toString());
                    Thread.sleep(REDIS_DOWN_BACKOFF.toMillis());
                }
            }
            wakeFetcher.release();
        }
    }

    /** One round: start what was claimed before, pick what may be claimed, claim it in one statement, start it. */
    private void startSome() {
        startWaiting();
        Set<String> paused = pausedPlatforms();
        List<Lane> candidates = new ArrayList<>();
        List<DeliveryLimiter.ConfigurationAsk> asks = new ArrayList<>();
        for (Lane lane : lanes.waiting()) {
            lane.info = describe(lane);
            if (paused.contains(lane.info.platform()) || paused.contains(DispatchQueue.ALL_PLATFORMS)) {
                parkQuietly(lane.info.platform(), lanes.drain(lane));
                continue;
            }
            int room = lanes.room(lane);
            if (room > 0) {
                candidates.add(lane);
                asks.add(new DeliveryLimiter.ConfigurationAsk(lane.id, limitsOf(lane), room));
            }
        }
        if (candidates.isEmpty()) {
            lanes.forgetIdle();
            return;
        }
        List<RateBudgets.Grant> grants = limiter.forConfigurations(asks);
        Map<Lane, Integer> allowed = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            allowed.put(candidates.get(i), grants.get(i).granted());
        }
        List<DeliveryLanes.Picked> picked = lanes.pick(allowed);
        if (picked.isEmpty()) {
            return;
        }
        Map<UUID, DeliveryLanes.Picked> byTarget = new LinkedHashMap<>();
        picked.forEach(p -> byTarget.put(p.entry().targetId(), p));
        List<Claimed> claimed;
        try {
            claimed = claim(byTarget.keySet());
        } catch (RuntimeException e) {
            picked.forEach(p -> lanes.finished(p.lane()));
            giveBack(picked.stream().map(DeliveryLanes.Picked::entry).toList());
            throw e;
        }
        Map<UUID, DeliveryLanes.Picked> unclaimed = new LinkedHashMap<>(byTarget);
        Map<UUID, Optional<MessageBody>> bodies = new HashMap<>();
        List<Delivery> deliveries = new ArrayList<>();
        List<Delivery> unreadable = new ArrayList<>();
        Map<UUID, Claimed> claimedById = new HashMap<>();
        claimed.forEach(c -> claimedById.put(c.target().id(), c));
        for (UUID targetId : byTarget.keySet()) {
            // In the order picked (the queue's), which the statement's result does not keep.
            Claimed c = claimedById.get(targetId);
            if (c == null) {
                continue;
            }
            Lane lane = unclaimed.remove(targetId).lane();
            Optional<MessageBody> body = bodies.computeIfAbsent(c.message().id(), id -> readBody(c.message()));
            Delivery delivery = new Delivery(c, body.orElse(null), body.map(b -> b.targets().size() == 1).orElse(false), lane,
                    clock.instant(), new AtomicBoolean());
            inFlight.put(c.target().id(), delivery);
            (body.isPresent() ? deliveries : unreadable).add(delivery);
        }
        unclaimed.values().forEach(p -> lanes.finished(p.lane()));
        keepInQueue(unclaimed);
        unreadable.forEach(d -> completed(d, null, new IllegalStateException("the stored message cannot be read")));
        for (Delivery delivery : withinTargetLimits(deliveries)) {
            claimedWaiting.computeIfAbsent(delivery.lane(), l -> new ArrayDeque<>()).add(delivery);
        }
        startWaiting();
    }

    /** Starts claimed targets, in claim order, as far as each lane's sending bound allows. */
    private void startWaiting() {
        for (var it = claimedWaiting.entrySet().iterator(); it.hasNext(); ) {
            var lane = it.next();
            while (!lane.getValue().isEmpty() && lanes.sendRoom(lane.getKey()) > 0) {
                Delivery delivery = lane.getValue().poll();
                delivery.sending().set(true);
                lane.getKey().sending.incrementAndGet();
                start(delivery);
            }
            if (lane.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    private Optional<MessageBody> readBody(MessageRecord message) {
        try {
            return Optional.of(message.parsedBody());
        } catch (RuntimeException e) {
            LOG.warn("Message {} has a body GateKit cannot read: {}", message.id(), e.toString());
            return Optional.empty();
        }
    }

    private List<Claimed> claim(Set<UUID> targetIds) {
        try {
            return store.claim(dispatcherSession, targetIds, owner, settings.lease());
        } catch (RuntimeException e) {
            if (SqlErrors.isTransientConflict(e)) {
                return store.claim(dispatcherSession, targetIds, owner, settings.lease());
            }
            throw e;
        }
    }

    /**
     * Targets taken from Redis but not claimed: held by another process, not due yet, or finished.
     * Those still pending go back to Redis at their time, so none is dropped by mistake.
     */
    private void keepInQueue(Map<UUID, DeliveryLanes.Picked> unclaimed) {
        if (unclaimed.isEmpty()) {
            return;
        }
        List<PendingTarget> standing;
        try {
            standing = store.standing(dispatcherSession, unclaimed.keySet());
        } catch (RuntimeException e) {
            giveBack(unclaimed.values().stream().map(DeliveryLanes.Picked::entry).toList());
            return;
        }
        List<DispatchQueue.Scheduled> back = new ArrayList<>();
        for (PendingTarget target : standing) {
            if (target.state() == TargetState.QUEUED || target.state() == TargetState.DELAYED) {
                back.add(new DispatchQueue.Scheduled(Entry.now(target.id(), target.priority(), target.configurationId(), clock),
                        target.nextAttemptAt()));
            }
        }
        scheduleQuietly(back);
    }

    /** Per-target limits are counted once claimed (only then is the recipient known); a send over one waits. */
    private List<Delivery> withinTargetLimits(List<Delivery> deliveries) {
        List<Delivery> limited = new ArrayList<>();
        List<DeliveryLimiter.TargetAsk> asks = new ArrayList<>();
        List<Delivery> ready = new ArrayList<>();
        for (Delivery d : deliveries) {
            DeliveryLimits limits = limitsOf(d.lane());
            if (DeliveryLimiter.targetLimitApplies(limits)) {
                limited.add(d);
                asks.add(new DeliveryLimiter.TargetAsk(d.target().configurationId(), d.target().targetId(), limits));
            } else {
                ready.add(d);
            }
        }
        if (!asks.isEmpty()) {
            List<RateBudgets.Grant> grants;
            try {
                grants = limiter.forTargets(asks);
            } catch (RuntimeException e) {
                // Redis cannot count right now: wait a moment rather than risk the platform's limit.
                limited.forEach(d -> handBack(d, TargetState.DELAYED, clock.instant().plus(REDIS_DOWN_BACKOFF)));
                return ready;
            }
            for (int i = 0; i < limited.size(); i++) {
                Delivery d = limited.get(i);
                if (grants.get(i).granted() > 0) {
                    ready.add(d);
                } else {
                    handBack(d, TargetState.DELAYED, clock.instant().plusMillis(grants.get(i).resetMillis()));
                }
            }
        }
        return ready;
    }

    /** Starts one claimed target's send; whatever happens, including a failure here, ends up in {@link #done}. */
    private void start(Delivery d) {
        try {
            startOrThrow(d);
        } catch (RuntimeException | LinkageError e) {
            completed(d, null, e);
        }
    }

    private void startOrThrow(Delivery d) {
        TargetRecord target = d.target();
        Optional<StoredPlatformConfiguration> configuration = configurations.find(target.configurationId());
        if (configuration.isEmpty()) {
            fail(d, "configuration_removed", "The platform configuration was deleted");
            return;
        }
        if (!configuration.get().isActive()) {
            fail(d, "configuration_inactive", "The platform configuration is switched off");
            return;
        }
        Optional<PlatformLease> maybeLease = registry.tryAcquire(target.platform());
        if (maybeLease.isEmpty()) {
            handBack(d, TargetState.WAITING, null);
            return;
        }
        PlatformLease lease = maybeLease.get();
        try {
            send(d, lease, configuration.get());
        } catch (RuntimeException | LinkageError e) {
            lease.close();
            throw e;
        }
    }

    private void send(Delivery d, PlatformLease lease, StoredPlatformConfiguration stored) {
        TargetRecord target = d.target();
        MessageBody.Target bodyTarget = d.body().targets().get(target.position());
        var unsupported = PlatformMessages.unsupported(d.body(), bodyTarget, "targets[" + target.position() + "]", lease.descriptor());
        if (!unsupported.isEmpty()) {
            lease.close();
            fail(d, ReasonCodes.UNSUPPORTED_CONTENT, unsupported.get(0).field() + ": " + unsupported.get(0).problem());
            return;
        }
        if (stored.testMode()) {
            lease.close();
            completed(d, new DeliveryReceipt(List.of(), Map.of("testMode", "true")), null);
            return;
        }
        Optional<String> unsafe = configurations.unsafeAddress(stored, lease.descriptor());
        if (unsafe.isPresent()) {
            lease.close();
            fail(d, BLOCKED_ADDRESS, unsafe.get());
            return;
        }
        List<String> missing = PlatformConfigurationService.missingSettings(stored, lease.descriptor());
        if (!missing.isEmpty()) {
            lease.close();
            completed(d, null, new IncompleteConfigurationException(stored.platform(), missing));
            return;
        }
        // The parts of a split message an earlier attempt delivered (see delivered()): the plugin sends only the rest.
        var outbound = PlatformMessages.toOutbound(target.id().toString(), d.body(), bodyTarget)
                .withDeliveredParts(target.platformMessageIds());
        Optional<PlatformClient> open = clients.ifOpen(lease, stored.id());
        CompletableFuture<DeliveryReceipt> sent;
        if (open.isPresent() && clients.isAsync(open.get())) {
            d.lane().info = new LaneInfo(d.lane().info.projectId(), d.lane().info.platform(), false);
            sent = callAsync(open.get(), outbound).orTimeout(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            sent = CompletableFuture.supplyAsync(() -> {
                try {
                    return clients.client(lease, stored.id(), () -> configurations.decryptComplete(stored, lease.descriptor()),
                            contexts.forConfiguration(stored)).send(outbound);
                } catch (DeliveryException | InvalidConfigurationException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, blockingSends);
        }
        sent.whenComplete((receipt, failure) -> {
            lease.close();
            completed(d, receipt, failure);
        });
    }

    /** A plugin's stage, with whatever it throws while starting counted as the send's failure. */
    private static CompletableFuture<DeliveryReceipt> callAsync(PlatformClient client, dev.gatekit.plugin.api.OutboundMessage outbound) {
        CompletableFuture<DeliveryReceipt> result = new CompletableFuture<>();
        try {
            CompletionStage<DeliveryReceipt> stage = client.sendAsync(outbound);
            stage.whenComplete((receipt, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(receipt);
                }
            });
        } catch (RuntimeException | LinkageError e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private void completed(Delivery d, DeliveryReceipt receipt, Throwable failure) {
        Throwable cause = failure == null ? null : unwrapped(failure);
        if (cause instanceof IncompleteConfigurationException e) {
            // The plugin's new version needs a setting this configuration lacks: not the message's fault; it waits for the setting.
            handBack(d, new MessageStore.Release(d.target(), TargetState.WAITING, null, MessageStore.CONFIGURATION_INCOMPLETE,
                    e.getMessage()));
            return;
        }
        if (Causes.find(cause, org.redisson.client.RedisException.class).isPresent()) {
            // GateKit's own Redis failed before the send went out: no attempt was made, so none is counted.
            handBack(d, new MessageStore.Release(d.target(), TargetState.DELAYED, clock.instant().plus(REDIS_DOWN_BACKOFF), null,
                    "GateKit could not reach Redis: " + cause.getMessage()));
            return;
        }
        if (outage.absorbs(cause)) {
            // Postgres went away before the send went out (reading the configuration, say): no attempt either.
            handBack(d, new MessageStore.Release(d.target(), TargetState.DELAYED,
                    clock.instant().plusSeconds(DatabaseOutage.RETRY_AFTER_SECONDS), null, "GateKit could not reach Postgres"));
            return;
        }
        done.add(new Done(d, outcome(d, receipt, cause), null));
        settled(d);
    }

    private static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The target's place in its lane's bounds is free again. */
    private void settled(Delivery d) {
        lanes.finished(d.lane());
        if (d.sending().getAndSet(false)) {
            d.lane().sending.decrementAndGet();
        }
        wakeDispatcher.release();
    }

    /**
     * What an attempt's result means for the target. Only a typed permanent failure (or a
     * configuration the plugin refuses) fails it at once; anything else a plugin throws is a bug, not
     * a verdict on the message, and is retried like a retryable failure.
     */
    private Finished outcome(Delivery d, DeliveryReceipt receipt, Throwable cause) {
        if (cause == null) {
            return new Finished(d.target(), d.onlyTarget(), Outcome.DELIVERED, d.startedAt(), null, null, null,
                    receipt.platformMessageIds(), null, true, receipt.details());
        }
        Optional<RefusedAddressException> refused = Causes.find(cause, RefusedAddressException.class);
        if (refused.isPresent()) {
            // The address policy refused the connection, whatever the plugin made of it: retrying cannot help.
            return finished(d, Outcome.FAILED, null, refused.get().getMessage(), BLOCKED_ADDRESS, null, null, true);
        }
        if (cause instanceof RetryableDeliveryException e) {
            Integer status = platformStatus(e);
            if (e.retryAfter().isPresent() || Integer.valueOf(TOO_MANY_REQUESTS).equals(status)) {
                // The platform asked us to wait: a wait, not a failed try, so it uses up no attempt.
                Duration wait = e.retryAfter().map(settings.retry()::atLeast)
                        .orElseGet(() -> settings.retry().backoff(d.target().attempts()));
                return finished(d, Outcome.RETRY, clock.instant().plus(wait), e.getMessage(), ReasonCodes.RATE_LIMITED,
                        delivered(e), status, false);
            }
            return retryOrFail(d, e.getMessage(), status, delivered(e));
        }
        if (cause instanceof PermanentDeliveryException e) {
            return finished(d, Outcome.FAILED, null, e.getMessage(), e.reasonCode(), null, platformStatus(e), true);
        }
        if (cause instanceof InvalidConfigurationException e) {
            return finished(d, Outcome.FAILED, null, e.getMessage(), ReasonCodes.INVALID_CONFIGURATION, null, null, true);
        }
        if (cause instanceof TimeoutException) {
            return retryOrFail(d, "no answer within " + settings.sendTimeout().toSeconds() + " s", null);
        }
        if (d.body() == null) {
            return retryOrFail(d, "internal error: " + cause.getMessage(), null);
        }
        logPluginError(d, cause);
        return retryOrFail(d, PLUGIN_ERROR + cause, null);
    }

    /**
     * Logs a plugin's unexpected exception with the plugin's name, with its stack trace the first
     * time for a target (its last attempt did not end in a plugin error too), not on every retry.
     */
    private void logPluginError(Delivery d, Throwable cause) {
        String plugin = registry.find(d.target().platform()).map(p -> p.pluginId()).orElse(d.target().platform());
        String previous = d.target().lastError();
        if (previous != null && previous.startsWith(PLUGIN_ERROR)) {
            LOG.debug("Plugin '{}' threw again while sending target {} (attempt {}): {}", plugin, d.target().id(), d.target().attempts(),
                    cause.toString());
        } else {
            LOG.warn("Plugin '{}' threw while sending target {} (attempt {}); it will be retried", plugin, d.target().id(),
                    d.target().attempts(), cause);
        }
    }

    private static Integer platformStatus(DeliveryException e) {
        return e.platformStatus().isPresent() ? e.platformStatus().getAsInt() : null;
    }

    /**
     * The parts of a split message the plugin delivered before failing, or null. Recorded as the target's platform
     * message ids, they reach the next attempt as {@code OutboundMessage.deliveredParts}, so it sends only the rest
     * (and the caller sees them in the status meanwhile).
     */
    private static List<String> delivered(RetryableDeliveryException e) {
        return e.deliveredParts().isEmpty() ? null : e.deliveredParts();
    }

    private Finished retryOrFail(Delivery d, String error, Integer platformStatus) {
        return retryOrFail(d, error, platformStatus, null);
    }

    private Finished retryOrFail(Delivery d, String error, Integer platformStatus, List<String> delivered) {
        int attempt = d.target().attempts();
        if (settings.retry().exhausted(attempt)) {
            return finished(d, Outcome.FAILED, null, error, "retries_exhausted", delivered, platformStatus, true);
        }
        Instant next = clock.instant().plus(settings.retry().backoff(attempt));
        return finished(d, Outcome.RETRY, next, error, null, delivered, platformStatus, true);
    }

    private Finished finished(Delivery d, Outcome outcome, Instant next, String error, String reasonCode, List<String> ids,
                              Integer platformStatus, boolean counted) {
        return new Finished(d.target(), d.onlyTarget(), outcome, d.startedAt(), next, error, reasonCode, ids, platformStatus, counted,
                Map.of());
    }

    /** Fails a claimed target without sending it (the attempt is counted, so it shows in the log). */
    private void fail(Delivery d, String reasonCode, String error) {
        done.add(new Done(d, finished(d, Outcome.FAILED, null, error, reasonCode, null, null, true), null));
        settled(d);
    }

    /** Gives a claimed target back without an attempt: to wait for a time or for its plugin. */
    private void handBack(Delivery d, TargetState state, Instant next) {
        handBack(d, new MessageStore.Release(d.target(), state, next, null, null));
    }

    private void handBack(Delivery d, MessageStore.Release release) {
        done.add(new Done(d, null, release));
        settled(d);
    }

    private LaneInfo describe(Lane lane) {
        boolean blocking = lane.info == null || lane.info.blocking();
        if (lane.id.equals(DeliveryLanes.UNKNOWN_LANE)) {
            return new LaneInfo(lane.id, "", true);
        }
        return configurations.find(lane.id)
                .map(c -> new LaneInfo(c.projectId(), c.platform(), blocking))
                .orElse(new LaneInfo(lane.id, "", blocking));
    }

    private DeliveryLimits limitsOf(Lane lane) {
        Optional<StoredPlatformConfiguration> configuration = lane.id.equals(DeliveryLanes.UNKNOWN_LANE)
                ? Optional.empty() : configurations.find(lane.id);
        DeliveryLimits defaults = configuration.flatMap(c -> registry.find(c.platform())).map(p -> p.descriptor().defaultLimits())
                .orElse(DeliveryLimits.DEFAULT);
        return configuration.map(c -> c.limits().over(defaults)).orElse(defaults);
    }

    private Set<String> pausedPlatforms() {
        return queue.pausedPlatforms(PAUSED_MAX_AGE);
    }

    /** Lanes whose surplus another dispatcher (or this one) held back in Redis take it back when they have room. */
    private void takeBackHeld() {
        Instant now = clock.instant();
        Set<UUID> candidates = new HashSet<>(heldHere);
        if (!now.isBefore(lastHeldCheck.plus(HELD_CHECK_INTERVAL))) {
            lastHeldCheck = now;
            candidates.addAll(queue.heldLanes());
        }
        for (UUID lane : candidates) {
            int room = lanes.roomToTakeBack(lane);
            if (room > 0) {
                List<Entry> taken = queue.takeHeld(lane, room);
                if (taken.size() < room) {
                    heldHere.remove(lane);
                }
                lanes.add(taken).forEach(this::holdBackQuietly);
            }
        }
    }

    // ---- finisher ------------------------------------------------------------------------------

    private void finish() throws InterruptedException {
        Instant nextRenewal = clock.instant();
        Duration renewEvery = settings.lease().dividedBy(3);
        List<Done> batch = new ArrayList<>();
        while (running.get() || !done.isEmpty()) {
            Done first = done.poll(Math.max(1, Math.min(200, renewEvery.toMillis())), TimeUnit.MILLISECONDS);
            if (first != null) {
                batch.add(first);
                gatherMore(batch);
                try {
                    record(batch);
                    finisherBackoff.succeeded();
                    batch.forEach(d -> inFlight.remove(d.delivery().target().id()));
                } catch (RuntimeException e) {
                    keepOrDrop(batch, e);
                } finally {
                    batch.clear();
                }
            }
            if (!clock.instant().isBefore(nextRenewal)) {
                renewLeases();
                nextRenewal = clock.instant().plus(renewEvery);
            }
        }
    }

    /**
     * Outcomes that could not be recorded because Postgres is out of reach are kept, still in flight,
     * and recorded once it is back (a lease that ran out meanwhile is refused then, and the target
     * sent again). Any other failure leaves them leased: the leases run out and the sweeper gives the
     * targets to another attempt.
     */
    private void keepOrDrop(List<Done> batch, RuntimeException e) throws InterruptedException {
        if (finisherBackoff.absorbs(e) && running.get()) {
            done.addAll(batch);
            finisherBackoff.sleep();
            return;
        }
        if (!DatabaseOutage.isUnavailable(e)) {
            LOG.warn("Could not record {} delivery outcomes: {}", batch.size(), e.toString());
        }
        batch.forEach(d -> inFlight.remove(d.delivery().target().id()));
    }

    /**
     * Waits a moment for more outcomes before recording: sends finish one by one, and a transaction
     * for each would cost a commit each. At most {@link #FINISH_LINGER}, and not at all once enough are in.
     */
    private void gatherMore(List<Done> batch) throws InterruptedException {
        long deadline = System.nanoTime() + FINISH_LINGER.toNanos();
        while (batch.size() < FINISH_BATCH) {
            done.drainTo(batch, FINISH_BATCH - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= FINISH_ENOUGH || left <= 0) {
                return;
            }
            Done next = done.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void record(List<Done> batch) {
        List<Finished> outcomes = new ArrayList<>();
        List<MessageStore.Release> releases = new ArrayList<>();
        Map<UUID, MessageRecord> messages = new HashMap<>();
        Map<UUID, Delivery> byTarget = new HashMap<>();
        for (Done d : batch) {
            messages.put(d.delivery().message().id(), d.delivery().message());
            byTarget.put(d.delivery().target().id(), d.delivery());
            if (d.finished() != null) {
                outcomes.add(d.finished());
            } else {
                releases.add(d.release());
            }
        }
        // Each write's targets go back to Redis as soon as it commits: if the second write fails (Postgres
        // gone), the batch is recorded again later, and the first write, already done, changes nothing then.
        scheduleLater(retryingConflicts(() -> store.finish(finisherSession, outcomes, owner, messages::get)), byTarget);
        scheduleLater(retryingConflicts(() -> store.release(finisherSession, releases, owner)), byTarget);
    }

    /** Puts the targets a write left waiting (delayed or queued) back into Redis for their next time. */
    private void scheduleLater(List<TargetRecord> changed, Map<UUID, Delivery> byTarget) {
        List<DispatchQueue.Scheduled> later = new ArrayList<>();
        for (TargetRecord target : changed) {
            if (target.state() == TargetState.DELAYED || target.state() == TargetState.QUEUED) {
                later.add(new DispatchQueue.Scheduled(Entry.now(target.id(), byTarget.get(target.id()).message().priority(),
                        target.configurationId(), clock), target.nextAttemptAt()));
            }
        }
        scheduleQuietly(later);
    }

    private static <T> List<T> retryingConflicts(java.util.function.Supplier<List<T>> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            if (SqlErrors.isTransientConflict(e)) {
                return write.get();
            }
            throw e;
        }
    }

    private void renewLeases() {
        if (inFlight.isEmpty()) {
            return;
        }
        try {
            store.renewLeases(finisherSession, new ArrayList<>(inFlight.keySet()), owner, settings.lease());
        } catch (RuntimeException e) {
            if (!finisherBackoff.absorbs(e)) {
                LOG.warn("Could not renew the leases of {} targets in flight: {}", inFlight.size(), e.toString());
            }
        }
    }

    // ---- Redis, where a failure is never fatal: Postgres is the record -----------------------------

    private void scheduleQuietly(List<DispatchQueue.Scheduled> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            queue.dispatch(entries);
        } catch (RuntimeException e) {
            LOG.warn("Could not schedule {} targets in Redis; the sweeper will: {}", entries.size(), e.toString());
        }
    }

    private void holdBackQuietly(UUID lane, List<Entry> entries) {
        try {
            queue.holdBack(lane, entries);
            heldHere.add(lane);
        } catch (RuntimeException e) {
            LOG.warn("Could not hold back {} targets in Redis; the sweeper will put them back: {}", entries.size(), e.toString());
        }
    }

    private void parkQuietly(String platform, List<Entry> entries) {
        try {
            queue.park(platform, entries);
        } catch (RuntimeException e) {
            LOG.warn("Could not park {} targets of paused {} in Redis; the sweeper will put them back: {}", entries.size(), platform,
                    e.toString());
        }
    }

    private void giveBack(List<Entry> entries) {
        try {
            queue.enqueueAll(entries);
        } catch (RuntimeException e) {
            LOG.warn("Could not give {} targets back to Redis; the sweeper will: {}", entries.size(), e.toString());
        }
    }

    private void promoteDue() {
        try {
            queue.promoteDue();
        } catch (RuntimeException e) {
            LOG.debug("Cannot promote delayed targets: {}", e.toString());
        }
    }

    /** A loop that dies takes delivery with it; log it loudly and start it again. */
    private void survive(String name, InterruptibleLoop loop) {
        while (running.get()) {
            try {
                loop.run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                if (!outage.absorbs(e)) {
                    LOG.error("Delivery {} failed; restarting it", name, e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface InterruptibleLoop {
        void run() throws InterruptedException;
    }
}
