package dev.gatekit.core.messages;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.db.SqlErrors;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.json.Json;
import dev.gatekit.core.messages.MessageDao.StateCount;
import dev.gatekit.core.platforms.PlatformConfigurationService;
import dev.gatekit.core.platforms.StoredPlatformConfiguration;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.queue.DispatchQueue;
import dev.gatekit.core.webhooks.PlatformStatuses;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepting messages and reporting on them. A message is written to Postgres before the 202 is
 * returned; Redis only dispatches, so a Redis outage delays delivery but never loses a message.
 */
public class MessageService {

    private static final Logger LOG = LoggerFactory.getLogger(MessageService.class);
    private static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    /** How long a request waits for its commit before it answers 503 (the database is then in trouble). */
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(30);

    private final MessageStore store;
    private final PlatformConfigurationService configurations;
    private final PlatformRegistry registry;
    private final DispatchQueue queue;
    private final MessageListeners listeners;
    private final Clock clock;
    private final AcceptedMessageWriter writer;

    public MessageService(MessageStore store, PlatformConfigurationService configurations, PlatformRegistry registry,
                          DispatchQueue queue, MessageListeners listeners, Clock clock, int acceptWriters) {
        this.store = store;
        this.configurations = configurations;
        this.registry = registry;
        this.queue = queue;
        this.listeners = listeners;
        this.clock = clock;
        this.writer = new AcceptedMessageWriter(store, this::enqueue, clock, acceptWriters);
    }

    /** The group-commit writer, for the application to start and stop. */
    public AcceptedMessageWriter writer() {
        return writer;
    }

    /** A validated message, ready to write, and what its request is answered once it is. */
    private record Prepared(MessageRecord message, List<TargetRecord> targets, MessageBody body, SendResult answer) {
    }

    public SendResult send(Caller caller, Project project, SendMessageRequest request, String idempotencyKey) {
        Prepared prepared = prepare(caller, project, request, idempotencyKey);
        return settle(project, prepared, writer.write(prepared.message(), prepared.targets()));
    }

    /**
     * Accepts up to {@link #MAX_BATCH} messages, each on its own: one that is invalid (or reuses an
     * idempotency key with another body) gets its own error, the others are accepted all the same,
     * and all those valid share commits.
     */
    public BatchSendResult sendBatch(Caller caller, Project project, List<BatchSendRequest.Item> items) {
        if (items == null || items.isEmpty()) {
            throw ApiException.invalid("messages", "must hold 1 to " + MAX_BATCH + " messages");
        }
        if (items.size() > MAX_BATCH) {
            throw ApiException.invalid("messages", "must hold at most " + MAX_BATCH + " messages (it holds " + items.size() + ")");
        }
        List<Prepared> prepared = new ArrayList<>();
        List<ApiException> refused = new ArrayList<>();
        List<CompletableFuture<Boolean>> written = new ArrayList<>();
        for (BatchSendRequest.Item item : items) {
            try {
                if (item.unreadable() != null) {
                    throw item.unreadable();
                }
                Prepared p = prepare(caller, project, item.request(), item.idempotencyKey());
                prepared.add(p);
                refused.add(null);
                written.add(writer.write(p.message(), p.targets()));
            } catch (ApiException e) {
                prepared.add(null);
                refused.add(e);
                written.add(null);
            }
        }
        List<BatchSendResult.ItemResult> results = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ApiException failure = refused.get(i);
            if (failure == null) {
                try {
                    results.add(BatchSendResult.ItemResult.accepted(i, settle(project, prepared.get(i), written.get(i))));
                    continue;
                } catch (ApiException e) {
                    failure = e;
                }
            }
            results.add(BatchSendResult.ItemResult.refused(i, failure));
        }
        return BatchSendResult.of(results);
    }

    /** The most messages one batch request may carry. */
    public static final int MAX_BATCH = 1_000;

    private Prepared prepare(Caller caller, Project project, SendMessageRequest request, String idempotencyKey) {
        MessageBody given = SendRequestNormalizer.normalize(request);
        String requestHash = null;
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
                throw ApiException.invalid("Idempotency-Key", "must be 1 to 200 characters");
            }
            requestHash = sha256(Json.write(request));
        }
        MessageBody body = resolveTargets(project, given);
        Instant now = clock.instant();
        Instant scheduled = body.options().scheduled() != null && body.options().scheduled().isAfter(now) ? body.options().scheduled() : null;
        UUID messageId = UUID.randomUUID();
        List<TargetRecord> targets = new ArrayList<>();
        for (int i = 0; i < body.targets().size(); i++) {
            MessageBody.Target target = body.targets().get(i);
            TargetState state = scheduled != null ? TargetState.DELAYED
                    : registry.find(target.platform()).isPresent() ? TargetState.QUEUED : TargetState.WAITING;
            targets.add(new TargetRecord(UUID.randomUUID(), messageId, i, UUID.fromString(target.platformId()), target.platform(),
                    target.type(), target.id(), state, 0, scheduled, null, null, null, null, List.of(), null, now));
        }
        TargetState state = TargetState.aggregate(targets.stream().map(TargetRecord::state).toList());
        MessageRecord message = new MessageRecord(messageId, project.id(), state, body.metadata().priority(), Json.write(body),
                body.metadata().trackingId(), idempotencyKey, requestHash, caller.id(), scheduled, now, now, null, null);
        return new Prepared(message, targets, body, answer(messageId, body, targets.stream().map(TargetRecord::state).toList(), now));
    }

    /** Waits for the message's commit; a message whose idempotency key was taken gets the first message's answer. */
    private SendResult settle(Project project, Prepared prepared, CompletableFuture<Boolean> written) {
        boolean inserted;
        try {
            inserted = written.get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "Interrupted before the message was stored; send it again");
        } catch (TimeoutException e) {
            throw new ApiException(503, "database_slow", "The database did not store the message in time; send it again with the "
                    + "same Idempotency-Key to be sure it is stored once", List.of(), Map.of("Retry-After", "5"));
        } catch (ExecutionException e) {
            if (SqlErrors.isForeignKeyViolation(e.getCause())) {
                throw ApiException.notFound("Project '" + project.slug() + "' not found");
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
        MessageRecord message = prepared.message();
        if (inserted) {
            listeners.accepted(message, prepared.targets());
            return prepared.answer();
        }
        Optional<SendResult> earlier = earlierAnswer(project, message.idempotencyKey(), message.requestHash());
        if (earlier.isPresent()) {
            return earlier.get();
        }
        // The key's first message is older than the idempotency window: the key starts a new message.
        store.dao().forgetIdempotencyKey(project.id(), message.idempotencyKey(), clock.instant().minus(IDEMPOTENCY_WINDOW));
        return settle(project, prepared, writer.write(message, prepared.targets()));
    }

    /** After the commit: the batch's targets go to Redis in one call (a failure leaves them to the sweeper). */
    private void enqueue(List<AcceptedMessageWriter.Pending> committed) {
        List<DispatchQueue.Scheduled> entries = new ArrayList<>();
        for (AcceptedMessageWriter.Pending pending : committed) {
            MessageRecord message = pending.message();
            for (TargetRecord target : pending.targets()) {
                if (target.state() == TargetState.QUEUED || target.state() == TargetState.DELAYED) {
                    entries.add(new DispatchQueue.Scheduled(DispatchQueue.Entry.now(target.id(), message.priority(),
                            target.configurationId(), clock), target.nextAttemptAt()));
                }
            }
        }
        queue.dispatch(entries);
    }

    private static final TypeReference<Map<String, String>> RECEIPT_DETAILS = new TypeReference<>() { };

    public MessageStatusView status(Project project, UUID jobId) {
        MessageRecord message = find(project, jobId);
        List<TargetRecord> targets = store.dao().targetsOf(message.id());
        long delivered = targets.stream().filter(t -> t.state() == TargetState.DELIVERED).count();
        int attempts = targets.stream().mapToInt(TargetRecord::attempts).max().orElse(0);
        String failedReason = targets.stream().filter(t -> t.lastError() != null && t.state() != TargetState.DELIVERED)
                .map(t -> t.platform() + " " + t.targetId() + ": " + t.lastError()).findFirst().orElse(null);
        Map<PlatformStatuses.Key, PlatformStatuses.Latest> reported = platformStatuses(targets);
        Map<UUID, List<DeliveryAttempts.Attempt>> attemptLog = targets.isEmpty() ? Map.of()
                : store.read(handle -> DeliveryAttempts.of(handle, targets.stream().map(TargetRecord::id).toList()));
        Map<UUID, String> details = store.dao().receiptDetailsOf(message.id());
        List<MessageStatusView.TargetStatus> statuses = targets.stream().map(t -> new MessageStatusView.TargetStatus(
                t.configurationId().toString(), t.platform(), t.targetType(), t.targetId(), t.state(), t.attempts(),
                t.platformMessageIds(), t.lastError(), t.reasonCode(), t.nextAttemptAt(), t.deliveredAt(),
                PlatformStatuses.forTarget(reported, t.configurationId(), t.platformMessageIds())
                        .map(s -> new MessageStatusView.PlatformStatus(s.status(), s.detail(), s.at(), s.platformMessageId()))
                        .orElse(null),
                attemptLog.getOrDefault(t.id(), List.of()),
                Optional.ofNullable(details.get(t.id())).map(json -> Json.read(json, RECEIPT_DETAILS)).orElse(null))).toList();
        return new MessageStatusView(message.id(), message.id(), message.state(),
                targets.isEmpty() ? 0 : (int) (delivered * 100 / targets.size()), Json.tree(message.body()), attempts,
                failedReason, millis(message.processedAt()), millis(message.finishedAt()), message.createdAt(),
                message.scheduledAt(), statuses);
    }

    private Map<PlatformStatuses.Key, PlatformStatuses.Latest> platformStatuses(List<TargetRecord> targets) {
        List<PlatformStatuses.Key> keys = targets.stream()
                .flatMap(t -> PlatformStatuses.keys(t.configurationId(), t.platformMessageIds()).stream()).toList();
        return keys.isEmpty() ? Map.of() : store.read(handle -> PlatformStatuses.latest(handle, keys));
    }

    /** Requeues the failed targets of a failed message; a message in any other state is a 409. */
    public SendResult retry(Project project, UUID jobId) {
        MessageRecord message = find(project, jobId);
        if (message.state() != TargetState.FAILED) {
            throw new ApiException(409, "not_failed", "Job " + jobId + " is not in failed state (it is " + message.state().wireName() + ")");
        }
        if (message.parsedBody().content() == null) {
            throw new ApiException(409, "content_pruned", "Job " + jobId + " can no longer be retried: its content was removed by the retention policy");
        }
        enqueueQuietly(message.id(), message.priority(), store.requeueFailed(message.id()));
        List<TargetRecord> targets = store.dao().targetsOf(message.id());
        MessageBody body = message.parsedBody();
        return answer(message.id(), body, targets.stream().map(TargetRecord::state).toList(), clock.instant());
    }

    /** Requeues failed targets in bulk (an operator's task); returns how many messages were requeued. */
    public int requeueFailed(UUID projectId, String platform, int limit) {
        int count = 0;
        for (UUID messageId : store.dao().messagesWithFailedTargets(projectId, platform, limit)) {
            MessageRecord message = store.dao().findMessage(messageId).orElse(null);
            if (message != null && message.parsedBody().content() != null) {
                enqueueQuietly(messageId, message.priority(), store.requeueFailed(messageId));
                count++;
            }
        }
        return count;
    }

    public QueueMetrics metrics(Project project) {
        Map<String, Long> counts = store.dao().countByState(project.id()).stream()
                .collect(Collectors.toMap(StateCount::state, StateCount::count));
        Function<TargetState, Long> count = state -> counts.getOrDefault(state.wireName(), 0L);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long paused = pausedPending(project);
        return new QueueMetrics(count.apply(TargetState.QUEUED), count.apply(TargetState.ACTIVE), count.apply(TargetState.DELIVERED),
                count.apply(TargetState.FAILED), count.apply(TargetState.DELAYED), paused, total, count.apply(TargetState.WAITING));
    }

    private long pausedPending(Project project) {
        try {
            List<String> paused = new ArrayList<>(queue.pausedPlatforms());
            if (paused.contains(DispatchQueue.ALL_PLATFORMS)) {
                paused = registry.all().stream().map(p -> p.platformId()).toList();
            }
            return paused.isEmpty() ? 0 : store.dao().countPendingOn(project.id(), paused);
        } catch (RuntimeException e) {
            LOG.debug("Cannot read paused platforms from Redis: {}", e.toString());
            return 0;
        }
    }

    private MessageBody resolveTargets(Project project, MessageBody body) {
        List<ErrorDetail> errors = new ArrayList<>();
        List<MessageBody.Target> resolved = new ArrayList<>();
        for (int i = 0; i < body.targets().size(); i++) {
            MessageBody.Target target = body.targets().get(i);
            String field = body.targets().size() == 1 && i == 0 ? "platform" : "targets[" + i + "].platformId";
            StoredPlatformConfiguration configuration;
            try {
                configuration = configurations.resolve(project, target.platformId());
            } catch (ApiException e) {
                errors.add(new ErrorDetail(field, e.getMessage()));
                continue;
            }
            if (!configuration.isActive()) {
                errors.add(new ErrorDetail(field, "the " + configuration.platform() + " configuration " + configuration.id() + " is not active"));
                continue;
            }
            MessageBody.Target concrete = new MessageBody.Target(configuration.id().toString(), configuration.platform(), target.type(),
                    target.id());
            String targetField = "targets[" + i + "]";
            registry.find(configuration.platform()).ifPresent(platform ->
                    errors.addAll(PlatformMessages.unsupported(body, concrete, targetField, platform.descriptor())));
            resolved.add(concrete);
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new MessageBody(resolved, body.content(), body.options(), body.metadata());
    }

    /** The first message sent with this key, unless it is older than the idempotency window. */
    private Optional<SendResult> earlierAnswer(Project project, String idempotencyKey, String requestHash) {
        return store.dao().findByIdempotencyKey(project.id(), idempotencyKey)
                .filter(earlier -> earlier.createdAt().isAfter(clock.instant().minus(IDEMPOTENCY_WINDOW)))
                .map(earlier -> {
                    if (!requestHash.equals(earlier.requestHash())) {
                        throw new ApiException(422, "idempotency_key_reused", "Idempotency-Key '" + idempotencyKey
                                + "' was already used with a different body",
                                List.of(new ErrorDetail("Idempotency-Key", "used with a different body")));
                    }
                    List<TargetState> states = store.dao().targetsOf(earlier.id()).stream().map(TargetRecord::state).toList();
                    return answer(earlier.id(), earlier.parsedBody(), states, earlier.createdAt());
                });
    }

    private void enqueueQuietly(UUID messageId, Priority priority, List<TargetRecord> targets) {
        try {
            queue.enqueueAll(targets.stream().map(t -> DispatchQueue.Entry.now(t.id(), priority, t.configurationId(), clock)).toList());
        } catch (RuntimeException e) {
            LOG.warn("Redis unavailable while requeueing message {}; the sweeper will dispatch it: {}", messageId, e.toString());
        }
    }

    private static SendResult answer(UUID messageId, MessageBody body, List<TargetState> states, Instant timestamp) {
        List<SendResult.TargetSummary> targets = new ArrayList<>();
        for (int i = 0; i < body.targets().size(); i++) {
            MessageBody.Target t = body.targets().get(i);
            targets.add(new SendResult.TargetSummary(t.platformId(), t.platform(), t.type(), t.id(), states.get(i)));
        }
        return new SendResult(true, messageId, "queued", targets, targets.stream().map(SendResult.TargetSummary::platformId).distinct().toList(),
                timestamp, "Message queued for delivery to " + targets.size() + " target" + (targets.size() == 1 ? "" : "s"));
    }

    private MessageRecord find(Project project, UUID jobId) {
        return store.dao().findMessage(project.id(), jobId)
                .orElseThrow(() -> ApiException.notFound("Job " + jobId + " not found"));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
