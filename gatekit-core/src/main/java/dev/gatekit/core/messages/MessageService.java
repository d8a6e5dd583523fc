package dev.gatekit.core.messages;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.db.UniqueViolation;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepting messages and reporting on them. A message is written to Postgres before the 202 is
 * returned; Redis only dispatches, so a Redis outage delays delivery but never loses a message.
 */
public class MessageService {

    private static final Logger LOG = LoggerFactory.getLogger(MessageService.class);
    private static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    private final Jdbi jdbi;
    private final MessageStore store;
    private final PlatformConfigurationService configurations;
    private final PlatformRegistry registry;
    private final DispatchQueue queue;
    private final MessageListeners listeners;
    private final Clock clock;

    public MessageService(Jdbi jdbi, MessageStore store, PlatformConfigurationService configurations, PlatformRegistry registry,
                          DispatchQueue queue, MessageListeners listeners, Clock clock) {
        this.jdbi = jdbi;
        this.store = store;
        this.configurations = configurations;
        this.registry = registry;
        this.queue = queue;
        this.listeners = listeners;
        this.clock = clock;
    }

    public SendResult send(Caller caller, Project project, SendMessageRequest request, String idempotencyKey) {
        MessageBody given = SendRequestNormalizer.normalize(request);
        String requestHash = sha256(Json.write(request));
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
                throw ApiException.invalid("Idempotency-Key", "must be 1 to 200 characters");
            }
            store.dao().forgetIdempotencyKey(project.id(), idempotencyKey, clock.instant().minus(IDEMPOTENCY_WINDOW));
            Optional<SendResult> earlier = earlierAnswer(project, idempotencyKey, requestHash);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        MessageBody body = resolveTargets(project, given);
        Instant now = clock.instant();
        Instant scheduled = body.options().scheduled() != null && body.options().scheduled().isAfter(now) ? body.options().scheduled() : null;
        UUID messageId = UUID.randomUUID();
        List<UUID> targetIds = new ArrayList<>();
        List<TargetState> states = new ArrayList<>();
        for (MessageBody.Target target : body.targets()) {
            targetIds.add(UUID.randomUUID());
            states.add(scheduled != null ? TargetState.DELAYED
                    : registry.find(target.platform()).isPresent() ? TargetState.QUEUED : TargetState.WAITING);
        }
        Priority priority = body.metadata().priority();
        try {
            jdbi.useTransaction(handle -> {
                MessageDao dao = handle.attach(MessageDao.class);
                dao.insertMessage(messageId, project.id(), TargetState.QUEUED.wireName(), priority.rank(), Json.write(body),
                        body.metadata().trackingId(), idempotencyKey, idempotencyKey == null ? null : requestHash, caller.id(),
                        scheduled, now);
                for (int i = 0; i < targetIds.size(); i++) {
                    MessageBody.Target target = body.targets().get(i);
                    dao.insertTarget(targetIds.get(i), messageId, i, UUID.fromString(target.platformId()), target.platform(),
                            target.type(), target.id(), states.get(i).wireName(), scheduled, now);
                }
                dao.refreshState(messageId, now);
            });
        } catch (UnableToExecuteStatementException e) {
            if (idempotencyKey != null && UniqueViolation.isCause(e)) {
                return earlierAnswer(project, idempotencyKey, requestHash).orElseThrow(() -> e);
            }
            throw e;
        }
        dispatch(targetIds, states, priority, scheduled);
        record Accepted(MessageRecord message, List<TargetRecord> targets) {
        }
        jdbi.withHandle(handle -> {
            MessageDao dao = handle.attach(MessageDao.class);
            return dao.findMessage(messageId).map(m -> new Accepted(m, dao.targetsOf(messageId)));
        }).ifPresent(accepted -> listeners.accepted(accepted.message(), accepted.targets()));
        return answer(messageId, body, targetIds.size() == 0 ? List.of() : states, now);
    }

    public MessageStatusView status(Project project, UUID jobId) {
        MessageRecord message = find(project, jobId);
        List<TargetRecord> targets = store.dao().targetsOf(message.id());
        long delivered = targets.stream().filter(t -> t.state() == TargetState.DELIVERED).count();
        int attempts = targets.stream().mapToInt(TargetRecord::attempts).max().orElse(0);
        String failedReason = targets.stream().filter(t -> t.lastError() != null && t.state() != TargetState.DELIVERED)
                .map(t -> t.platform() + " " + t.targetId() + ": " + t.lastError()).findFirst().orElse(null);
        Map<PlatformStatuses.Key, PlatformStatuses.Latest> reported = platformStatuses(targets);
        List<MessageStatusView.TargetStatus> statuses = targets.stream().map(t -> new MessageStatusView.TargetStatus(
                t.configurationId().toString(), t.platform(), t.targetType(), t.targetId(), t.state(), t.attempts(),
                t.platformMessageIds(), t.lastError(), t.reasonCode(), t.nextAttemptAt(), t.deliveredAt(),
                PlatformStatuses.forTarget(reported, t.configurationId(), t.platformMessageIds())
                        .map(s -> new MessageStatusView.PlatformStatus(s.status(), s.detail(), s.at(), s.platformMessageId()))
                        .orElse(null))).toList();
        return new MessageStatusView(message.id(), message.id(), message.state(),
                targets.isEmpty() ? 0 : (int) (delivered * 100 / targets.size()), Json.tree(message.body()), attempts,
                failedReason, millis(message.processedAt()), millis(message.finishedAt()), message.createdAt(),
                message.scheduledAt(), statuses);
    }

    private Map<PlatformStatuses.Key, PlatformStatuses.Latest> platformStatuses(List<TargetRecord> targets) {
        List<PlatformStatuses.Key> keys = targets.stream()
                .flatMap(t -> PlatformStatuses.keys(t.configurationId(), t.platformMessageIds()).stream()).toList();
        return keys.isEmpty() ? Map.of() : jdbi.withHandle(handle -> PlatformStatuses.latest(handle, keys));
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
        List<UUID> requeued = store.requeueFailed(message.id());
        requeued.forEach(id -> enqueueQuietly(id, message.priority()));
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
                store.requeueFailed(messageId).forEach(id -> enqueueQuietly(id, message.priority()));
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

    private Optional<SendResult> earlierAnswer(Project project, String idempotencyKey, String requestHash) {
        return store.dao().findByIdempotencyKey(project.id(), idempotencyKey).map(earlier -> {
            if (!requestHash.equals(earlier.requestHash())) {
                throw new ApiException(422, "idempotency_key_reused", "Idempotency-Key '" + idempotencyKey
                        + "' was already used with a different body", List.of(new ErrorDetail("Idempotency-Key", "used with a different body")));
            }
            List<TargetState> states = store.dao().targetsOf(earlier.id()).stream().map(TargetRecord::state).toList();
            return answer(earlier.id(), earlier.parsedBody(), states, earlier.createdAt());
        });
    }

    private void dispatch(List<UUID> targetIds, List<TargetState> states, Priority priority, Instant scheduled) {
        for (int i = 0; i < targetIds.size(); i++) {
            try {
                switch (states.get(i)) {
                    case QUEUED -> queue.enqueue(targetIds.get(i), priority);
                    case DELAYED -> queue.schedule(targetIds.get(i), priority, scheduled);
                    default -> { }
                }
            } catch (RuntimeException e) {
                // Accepted all the same: the message is in Postgres and the sweeper dispatches it once Redis answers.
                LOG.warn("Redis unavailable while queueing target {}; the sweeper will dispatch it: {}", targetIds.get(i), e.toString());
            }
        }
    }

    private void enqueueQuietly(UUID targetId, Priority priority) {
        dispatch(List.of(targetId), List.of(TargetState.QUEUED), priority, null);
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
