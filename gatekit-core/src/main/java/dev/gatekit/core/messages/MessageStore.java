package dev.gatekit.core.messages;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every change of a target's state, each in a transaction that first locks its message row, so a
 * message's aggregate state is recomputed from its targets without two workers racing. Locks are
 * always taken message first, then target.
 */
public class MessageStore {

    /** What became of one delivery attempt. */
    public enum Outcome { DELIVERED, RETRY, FAILED }

    private final Jdbi jdbi;
    private final MessageDao messages;
    private final MessageListeners listeners;
    private final Clock clock;

    public MessageStore(Jdbi jdbi, MessageListeners listeners, Clock clock) {
        this.jdbi = jdbi;
        this.messages = jdbi.onDemand(MessageDao.class);
        this.listeners = listeners;
        this.clock = clock;
    }

    public MessageDao dao() {
        return messages;
    }

    /** A claimed target and its message, read in the claiming transaction. */
    public record Claimed(TargetRecord target, MessageRecord message) {
    }

    /** Takes a due target for {@code worker} until {@code lease} runs out; empty when another worker has it or it is not due. */
    public Optional<Claimed> claim(UUID targetId, String worker, Duration lease) {
        return jdbi.inTransaction(handle -> {
            MessageDao dao = handle.attach(MessageDao.class);
            Optional<UUID> messageId = dao.messageIdOf(targetId);
            if (messageId.isEmpty()) {
                return Optional.empty();
            }
            dao.lockMessage(messageId.get());
            Instant now = clock.instant();
            Optional<TargetRecord> claimed = dao.claim(targetId, worker, now.plus(lease), now);
            if (claimed.isEmpty()) {
                return Optional.empty();
            }
            dao.refreshState(messageId.get(), now);
            return dao.findMessage(messageId.get()).map(message -> new Claimed(claimed.get(), message));
        });
    }

    /** Hands a claimed target back without an attempt: to wait for a time, a plugin, or a resume. */
    public boolean release(TargetRecord target, String worker, TargetState state, Instant nextAttemptAt) {
        return onMessage(target.messageId(), handle -> handle.attach(MessageDao.class)
                .release(target.id(), worker, state.wireName(), nextAttemptAt, clock.instant()) == 1);
    }

    /** Counts the attempt about to be made; empty when the worker no longer holds the lease. */
    public Optional<Integer> startAttempt(TargetRecord target, String worker) {
        return messages.countAttempt(target.id(), worker, clock.instant());
    }

    /**
     * Records an attempt's outcome and returns the target as it now stands. Empty when the worker had
     * lost its lease (it expired and another worker took the target): then nothing is changed and
     * that worker's outcome stands. A final outcome is reported to the listeners: what they record
     * in the database (events to the user's endpoints) commits with the outcome itself.
     */
    public Optional<TargetRecord> finish(MessageRecord message, TargetRecord target, String worker, int attempt, Instant startedAt,
                                         Outcome outcome, Instant nextAttemptAt, String error, String reasonCode,
                                         List<String> platformMessageIds) {
        Instant now = clock.instant();
        String ids = platformMessageIds == null || platformMessageIds.isEmpty() ? null : String.join("\n", platformMessageIds);
        TargetState state = switch (outcome) {
            case DELIVERED -> TargetState.DELIVERED;
            case RETRY -> TargetState.DELAYED;
            case FAILED -> TargetState.FAILED;
        };
        List<Runnable> afterCommit = new ArrayList<>();
        Optional<TargetRecord> finished = onMessage(target.messageId(), handle -> {
            MessageDao dao = handle.attach(MessageDao.class);
            Optional<TargetRecord> updated = dao.finishAttempt(target.id(), worker, state.wireName(),
                    outcome == Outcome.RETRY ? nextAttemptAt : null, error, reasonCode, ids, outcome == Outcome.DELIVERED ? now : null, now);
            updated.ifPresent(f -> dao.recordAttempt(target.id(), attempt, worker, startedAt, now,
                    outcome.name().toLowerCase(java.util.Locale.ROOT), error, reasonCode, ids));
            if (updated.isPresent() && state.isFinal()) {
                afterCommit.addAll(listeners.recordFinished(handle, message, updated.get()));
            }
            return updated;
        });
        afterCommit.forEach(Runnable::run);
        finished.filter(f -> f.state().isFinal()).ifPresent(f -> listeners.targetFinished(message, f));
        return finished;
    }

    /** Puts every target whose worker's lease ran out back in the queue; returns them. */
    public List<TargetRecord> expireLeases() {
        List<TargetRecord> expired = messages.expireLeases(clock.instant());
        refresh(expired);
        return expired;
    }

    /** Moves targets that waited for one of these platforms' plugins back to queued; returns them. */
    public List<TargetRecord> wakeWaiting(List<String> platforms) {
        if (platforms.isEmpty()) {
            return List.of();
        }
        List<TargetRecord> woken = messages.wakeWaiting(platforms, clock.instant());
        refresh(woken);
        return woken;
    }

    /** Requeues a message's failed targets; returns their ids (none when nothing had failed). */
    public List<UUID> requeueFailed(UUID messageId) {
        return onMessage(messageId, handle -> handle.attach(MessageDao.class).requeueFailedTargets(messageId, clock.instant()));
    }

    private void refresh(List<TargetRecord> targets) {
        Set<UUID> messageIds = new LinkedHashSet<>();
        targets.forEach(t -> messageIds.add(t.messageId()));
        for (UUID id : new ArrayList<>(messageIds)) {
            onMessage(id, handle -> null);
        }
    }

    private <R> R onMessage(UUID messageId, Function<Handle, R> change) {
        return jdbi.inTransaction(handle -> {
            MessageDao dao = handle.attach(MessageDao.class);
            dao.lockMessage(messageId);
            R result = change.apply(handle);
            dao.refreshState(messageId, clock.instant());
            return result;
        });
    }
}
