package dev.gatekit.core.events;

import dev.gatekit.core.crypto.CredentialCipher;
import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.db.OutageBackoff;
import dev.gatekit.core.http.OutboundAddresses;
import dev.gatekit.core.messages.Priority;
import dev.gatekit.core.queue.DispatchQueue;
import dev.gatekit.core.threads.DaemonThreads;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends event deliveries to the projects' endpoints, the way delivery workers send messages: take
 * an id from the event queue in Redis, lease the delivery in Postgres, POST the signed event, record
 * the outcome; a non-2xx answer or a network error is retried with backoff until the attempts run
 * out. A timer returns deliveries whose sender died (lease expired) and re-adds due deliveries that
 * Redis lost, so a delivery is never lost while Postgres has it.
 */
public class EventDispatcher implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PROMOTE_INTERVAL = Duration.ofMillis(200);
    private static final int SWEEP_BATCH = 2_000;
    private static final int MAX_ERROR_LENGTH = 500;

    private final EventSettings settings;
    private final DispatchQueue queue;
    private final EventDao dao;
    private final CredentialCipher cipher;
    private final HttpClient http;
    private final Clock clock;
    private final String userAgent;
    private final OutageBackoff sweepBackoff;
    private final OutageBackoff sendBackoff;
    private final String instanceId = ManagementFactory.getRuntimeMXBean().getName();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private ExecutorService senders;
    private ScheduledExecutorService timers;

    public EventDispatcher(EventSettings settings, DispatchQueue queue, Jdbi jdbi, CredentialCipher cipher, HttpClient http, Clock clock,
                           String version, DatabaseOutage outage) {
        this.settings = settings;
        this.queue = queue;
        this.dao = jdbi.onDemand(EventDao.class);
        this.cipher = cipher;
        this.http = http;
        this.clock = clock;
        this.userAgent = "GateKit-Events/" + version;
        this.sweepBackoff = new OutageBackoff(outage);
        this.sendBackoff = new OutageBackoff(outage);
    }

    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        timers = Executors.newScheduledThreadPool(2, DaemonThreads.numbered("gatekit-events-timer"));
        timers.scheduleWithFixedDelay(this::promoteQuietly, 0, PROMOTE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        long sweep = settings.sweepInterval().toMillis();
        timers.scheduleWithFixedDelay(this::sweepQuietly, sweep, sweep, TimeUnit.MILLISECONDS);
        if (settings.workers() > 0) {
            senders = Executors.newFixedThreadPool(settings.workers(), DaemonThreads.numbered("gatekit-events"));
            for (int i = 0; i < settings.workers(); i++) {
                String worker = instanceId + "/events-" + i;
                senders.submit(() -> loop(worker));
            }
        }
        LOG.info("Started {} event senders", settings.workers());
    }

    @Override
    public void stop() throws InterruptedException {
        running.set(false);
        Instant deadline = clock.instant().plus(settings.timeout()).plusSeconds(1);
        while (inFlight.get() > 0 && clock.instant().isBefore(deadline)) {
            Thread.sleep(50);
        }
        if (senders != null) {
            senders.shutdownNow();
            senders.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (timers != null) {
            timers.shutdownNow();
        }
    }

    /** One sweep: expired leases back to pending, and due deliveries re-added to Redis; returns how many. */
    public int sweep() {
        List<UUID> expired = dao.expireLeases(clock.instant());
        List<UUID> stale = dao.pendingSince(clock.instant().minus(settings.staleAfter()), SWEEP_BATCH);
        for (UUID id : expired) {
            queue.enqueue(id, Priority.NORMAL);
        }
        for (UUID id : stale) {
            queue.enqueue(id, Priority.NORMAL);
        }
        return expired.size() + stale.size();
    }

    private void loop(String worker) {
        while (running.get() && !Thread.currentThread().isInterrupted()) {
            Optional<DispatchQueue.Entry> entry;
            try {
                entry = queue.take(TAKE_TIMEOUT);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || !running.get()) {
                    return;
                }
                LOG.warn("Cannot take event deliveries from Redis ({}); retrying", e.toString());
                sleep(Duration.ofSeconds(1));
                continue;
            }
            if (entry.isEmpty()) {
                continue;
            }
            inFlight.incrementAndGet();
            try {
                deliver(worker, entry.get().targetId());
                sendBackoff.succeeded();
            } catch (RuntimeException | Error e) {
                if (sendBackoff.absorbs(e)) {
                    waitOutOutage(entry.get().targetId());
                } else {
                    // The delivery stays leased; the sweeper gives it back when the lease runs out.
                    LOG.error("Event delivery {} failed unexpectedly", entry.get().targetId(), e);
                }
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /**
     * Postgres is out of reach: the delivery goes back to Redis as it was (if it was leased before
     * the outage, its lease runs out and the sweeper gives it back) and this sender waits a while,
     * rather than taking every queued delivery only to fail it.
     */
    private void waitOutOutage(UUID deliveryId) {
        try {
            queue.enqueue(deliveryId, Priority.NORMAL);
        } catch (RuntimeException e) {
            LOG.debug("Could not give event delivery {} back to Redis; the sweeper will: {}", deliveryId, e.toString());
        }
        try {
            sendBackoff.sleep();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void deliver(String worker, UUID deliveryId) {
        Instant now = clock.instant();
        Optional<EventDelivery> claimed = dao.claim(deliveryId, worker, now.plus(settings.lease()), now);
        if (claimed.isEmpty()) {
            return;
        }
        EventDelivery delivery = claimed.get();
        Optional<EventEndpoint> endpoint = dao.findEndpoint(delivery.endpointId());
        Optional<StoredEvent> event = dao.findEvent(delivery.eventId());
        if (endpoint.isEmpty() || event.isEmpty()) {
            return; // deleted with its endpoint or project: the row is gone with it
        }
        if (!endpoint.get().isActive()) {
            dao.finish(delivery.id(), worker, "failed", null, null, "endpoint is switched off", null, clock.instant());
            return;
        }
        Optional<String> refused = OutboundAddresses.problem(endpoint.get().url(), settings.allowPrivateEndpoints(), EventSettings.ALLOW_PRIVATE_SETTING);
        if (refused.isPresent()) {
            dao.finish(delivery.id(), worker, "failed", null, null, "endpoint " + refused.get(), null, clock.instant());
            return;
        }
        Integer status = null;
        String error;
        try {
            status = post(endpoint.get(), event.get(), delivery);
            if (status >= 200 && status < 300) {
                Instant done = clock.instant();
                dao.finish(delivery.id(), worker, "delivered", null, status, null, done, done);
                return;
            }
            error = "endpoint answered HTTP " + status;
        } catch (IOException e) {
            error = "cannot reach endpoint: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted while sending";
        } catch (RuntimeException e) {
            // Our own failure (say, a secret sealed with a key no longer configured): retried, then failed.
            error = "internal error: " + e;
        }
        error = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        if (settings.retry().exhausted(delivery.attempts())) {
            dao.finish(delivery.id(), worker, "failed", null, status, error, null, clock.instant());
            return;
        }
        Instant next = clock.instant().plus(settings.retry().backoff(delivery.attempts()));
        if (dao.finish(delivery.id(), worker, "pending", next, status, error, null, clock.instant()) == 1) {
            try {
                queue.schedule(delivery.id(), Priority.NORMAL, next);
            } catch (RuntimeException e) {
                LOG.warn("Could not schedule event delivery {} in Redis; the sweeper will: {}", delivery.id(), e.toString());
            }
        }
    }

    private int post(EventEndpoint endpoint, StoredEvent event, EventDelivery delivery) throws IOException, InterruptedException {
        byte[] body = event.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        String secret = cipher.decrypt(endpoint.secretCiphertext());
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.url()))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .header(EventSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(EventSignature.SIGNATURE_HEADER, EventSignature.sign(secret, timestamp, body))
                .header(EventSignature.EVENT_HEADER, event.kind())
                .header(EventSignature.DELIVERY_HEADER, delivery.id().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void promoteQuietly() {
        try {
            queue.promoteDue();
        } catch (RuntimeException e) {
            LOG.debug("Cannot promote delayed event deliveries: {}", e.toString());
        }
    }

    private void sweepQuietly() {
        if (sweepBackoff.waiting()) {
            return;
        }
        try {
            sweep();
            sweepBackoff.succeeded();
        } catch (RuntimeException e) {
            if (!sweepBackoff.absorbs(e)) {
                LOG.warn("Event delivery sweep failed (will try again): {}", e.toString());
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
