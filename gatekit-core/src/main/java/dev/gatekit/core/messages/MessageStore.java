package dev.gatekit.core.messages;

import dev.gatekit.core.db.HandleSession;
import dev.gatekit.core.json.Json;
import dev.gatekit.core.messages.MessageDao.PendingTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every write to messages and their targets, each a batch: one statement (or one transaction) for
 * many targets, so the cost of a round trip and a commit is shared.
 *
 * <p>A message's state is the aggregate of its targets'. A message of one target takes its
 * target's state in the same statement that changes the target, with no lock: only the worker
 * holding the target's lease writes either. A message of several targets is recomputed from its
 * targets in a later statement of the same transaction, after locking the message rows in id
 * order, so two workers finishing targets of one message never leave it stale.
 */
public class MessageStore {

    /** What became of one delivery attempt. */
    public enum Outcome { DELIVERED, RETRY, FAILED }

    /** Reason code of a target waiting because its configuration lacks a setting its plugin now requires. */
    public static final String CONFIGURATION_INCOMPLETE = "configuration_incomplete";

    /** A claimed target and its message, read in the claiming statement. */
    public record Claimed(TargetRecord target, MessageRecord message) {
    }

    /**
     * The outcome of one attempt at a claimed target.
     *
     * @param onlyTarget     whether the target is its message's only one (its state is then the message's)
     * @param platformStatus what the platform answered (an HTTP status), or null
     * @param counted        whether the attempt counts against the target's budget (a wait the platform asked for does not)
     * @param details        what the plugin's receipt said beside the ids (kept in the status), or empty
     */
    public record Finished(TargetRecord target, boolean onlyTarget, Outcome outcome, Instant startedAt, Instant nextAttemptAt,
                           String error, String reasonCode, List<String> platformMessageIds, Integer platformStatus,
                           boolean counted, Map<String, String> details) {
    }

    /** A claimed target handed back without an attempt; a reason code and error, when given, say why it waits. */
    public record Release(TargetRecord target, TargetState state, Instant nextAttemptAt, String reasonCode, String error) {
    }

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

    /** For reads; every write goes through this class. */
    public MessageDao dao() {
        return messages;
    }

    /**
     * A connection for one thread's batches (an accept writer, a dispatcher, a finisher), passed to
     * the batch methods below; close it when the thread ends.
     */
    public HandleSession<MessageDao> openSession() {
        return new HandleSession<>(jdbi, MessageDao.class);
    }

    /**
     * Inserts accepted messages with their targets, already in their first states, in one
     * transaction. Returns the ids of the messages inserted: a message whose idempotency key its
     * project already used is left out.
     */
    public Set<UUID> insert(HandleSession<MessageDao> session, List<MessageRecord> batch, List<List<TargetRecord>> targets, Instant now) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        UUID[] projectIds = new UUID[n];
        String[] states = new String[n];
        Integer[] priorities = new Integer[n];
        String[] bodies = new String[n];
        String[] trackingIds = new String[n];
        String[] keys = new String[n];
        String[] hashes = new String[n];
        String[] createdBy = new String[n];
        Instant[] scheduledAt = new Instant[n];
        Instant[] createdAt = new Instant[n];
        for (int i = 0; i < n; i++) {
            MessageRecord m = batch.get(i);
            ids[i] = m.id();
            projectIds[i] = m.projectId();
            states[i] = m.state().wireName();
            priorities[i] = m.priority().rank();
            bodies[i] = m.body();
            trackingIds[i] = m.trackingId();
            keys[i] = m.idempotencyKey();
            hashes[i] = m.requestHash();
            createdBy[i] = m.createdBy();
            scheduledAt[i] = m.scheduledAt();
            createdAt[i] = m.createdAt();
        }
        return session.inTransaction((handle, dao) -> {
            Set<UUID> inserted = new HashSet<>(dao.insertMessages(ids, projectIds, states, priorities, bodies, trackingIds, keys, hashes,
                    createdBy, scheduledAt, createdAt));
            List<TargetRecord> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (inserted.contains(ids[i])) {
                    rows.addAll(targets.get(i));
                }
            }
            if (!rows.isEmpty()) {
                insertTargets(dao, rows, now);
            }
            return inserted;
        });
    }

    private static void insertTargets(MessageDao dao, List<TargetRecord> rows, Instant now) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        UUID[] messageIds = new UUID[n];
        Integer[] positions = new Integer[n];
        UUID[] configurationIds = new UUID[n];
        String[] platforms = new String[n];
        String[] types = new String[n];
        String[] targetIds = new String[n];
        String[] states = new String[n];
        Instant[] next = new Instant[n];
        for (int i = 0; i < n; i++) {
            TargetRecord t = rows.get(i);
            ids[i] = t.id();
            messageIds[i] = t.messageId();
            positions[i] = t.position();
            configurationIds[i] = t.configurationId();
            platforms[i] = t.platform();
            types[i] = t.targetType();
            targetIds[i] = t.targetId();
            states[i] = t.state().wireName();
            next[i] = t.nextAttemptAt();
        }
        dao.insertTargets(ids, messageIds, positions, configurationIds, platforms, types, targetIds, states, next, now);
    }

    /**
     * Takes those of {@code targetIds} that are due for {@code owner} until {@code lease} runs out,
     * counting the attempt; the others (held by another worker, not due, finished) are left out.
     */
    public List<Claimed> claim(HandleSession<MessageDao> session, Collection<UUID> targetIds, String owner, Duration lease) {
        if (targetIds.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        return session.call(dao -> dao.claim(targetIds.toArray(UUID[]::new), owner, now.plus(lease), now));
    }

    /** Where these targets stand now (those that exist). */
    public List<PendingTarget> standing(HandleSession<MessageDao> session, Collection<UUID> targetIds) {
        return targetIds.isEmpty() ? List.of() : session.call(dao -> dao.standing(targetIds.toArray(UUID[]::new)));
    }

    /**
     * Records attempts' outcomes in one transaction and returns the targets as they now stand;
     * a target whose lease {@code owner} had lost is left unchanged and not returned (that other
     * worker's outcome stands). Final outcomes are reported to the listeners: what they record in the
     * database (events to the user's endpoints) commits with the outcomes themselves.
     */
    public List<TargetRecord> finish(HandleSession<MessageDao> session, List<Finished> outcomes, String owner, Function<UUID, MessageRecord> messageOf) {
        if (outcomes.isEmpty()) {
            return List.of();
        }
        int n = outcomes.size();
        UUID[] ids = new UUID[n];
        String[] states = new String[n];
        Instant[] next = new Instant[n];
        String[] errors = new String[n];
        String[] reasons = new String[n];
        String[] platformIds = new String[n];
        String[] details = new String[n];
        Instant[] deliveredAt = new Instant[n];
        Instant[] startedAt = new Instant[n];
        String[] outcomeNames = new String[n];
        Boolean[] onlyTarget = new Boolean[n];
        Integer[] platformStatuses = new Integer[n];
        Boolean[] counted = new Boolean[n];
        Set<UUID> sharedMessages = new LinkedHashSet<>();
        Instant now = clock.instant();
        for (int i = 0; i < n; i++) {
            Finished f = outcomes.get(i);
            ids[i] = f.target().id();
            states[i] = switch (f.outcome()) {
                case DELIVERED -> TargetState.DELIVERED.wireName();
                case RETRY -> TargetState.DELAYED.wireName();
                case FAILED -> TargetState.FAILED.wireName();
            };
            next[i] = f.outcome() == Outcome.RETRY ? f.nextAttemptAt() : null;
            errors[i] = f.error();
            reasons[i] = f.reasonCode();
            platformIds[i] = f.platformMessageIds() == null || f.platformMessageIds().isEmpty() ? null : String.join("\n", f.platformMessageIds());
            details[i] = f.details() == null || f.details().isEmpty() ? null : Json.write(f.details());
            deliveredAt[i] = f.outcome() == Outcome.DELIVERED ? now : null;
            startedAt[i] = f.startedAt();
            outcomeNames[i] = f.outcome().name().toLowerCase(Locale.ROOT);
            onlyTarget[i] = f.onlyTarget();
            platformStatuses[i] = f.platformStatus();
            counted[i] = f.counted();
            if (!f.onlyTarget()) {
                sharedMessages.add(f.target().messageId());
            }
        }
        List<Runnable> afterCommit = new ArrayList<>();
        List<TargetRecord> finished = session.inTransaction((handle, dao) -> {
            List<TargetRecord> updated = dao.finish(ids, states, next, errors, reasons, platformIds, details, deliveredAt, startedAt,
                    outcomeNames, onlyTarget, platformStatuses, counted, owner, now);
            refreshShared(dao, sharedMessages, now);
            List<MessageListener.FinishedTarget> finals = new ArrayList<>();
            for (TargetRecord target : updated) {
                if (target.state().isFinal()) {
                    finals.add(new MessageListener.FinishedTarget(messageOf.apply(target.messageId()), target));
                }
            }
            afterCommit.addAll(listeners.recordFinished(handle, finals));
            return updated;
        });
        afterCommit.forEach(Runnable::run);
        for (TargetRecord target : finished) {
            if (target.state().isFinal()) {
                listeners.targetFinished(messageOf.apply(target.messageId()), target);
            }
        }
        return finished;
    }

    /** Hands claimed targets back without an attempt; returns those this owner still held. */
    public List<TargetRecord> release(HandleSession<MessageDao> session, List<Release> releases, String owner) {
        if (releases.isEmpty()) {
            return List.of();
        }
        int n = releases.size();
        UUID[] ids = new UUID[n];
        String[] states = new String[n];
        Instant[] next = new Instant[n];
        String[] reasons = new String[n];
        String[] errors = new String[n];
        Set<UUID> messageIds = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            Release r = releases.get(i);
            ids[i] = r.target().id();
            states[i] = r.state().wireName();
            next[i] = r.nextAttemptAt();
            reasons[i] = r.reasonCode();
            errors[i] = r.error();
            messageIds.add(r.target().messageId());
        }
        Instant now = clock.instant();
        return session.inTransaction((handle, dao) -> {
            List<TargetRecord> released = dao.release(ids, states, next, reasons, errors, owner, now);
            refreshShared(dao, messageIds, now);
            return released;
        });
    }

    /** Extends this owner's leases on targets still in flight; returns how many it still held. */
    public int renewLeases(HandleSession<MessageDao> session, Collection<UUID> targetIds, String owner, Duration lease) {
        return targetIds.isEmpty() ? 0
                : session.call(dao -> dao.renewLeases(targetIds.toArray(UUID[]::new), owner, clock.instant().plus(lease)));
    }

    /** Puts every target whose worker's lease ran out back in the queue; returns them. */
    public List<PendingTarget> expireLeases() {
        return withStatesRefreshed(dao -> dao.expireLeases(clock.instant()));
    }

    /** Pending targets of one state in id order after {@code after}, {@code limit} at most. */
    public List<PendingTarget> pendingAfter(TargetState state, UUID after, int limit) {
        return messages.pendingAfter(state.wireName(), after, limit);
    }

    /**
     * Moves targets that waited for one of these platforms' plugins back to queued, and with
     * {@code incompleteToo} those that waited for a setting (a plugin just loaded may not need it); returns them.
     */
    public List<PendingTarget> wakeWaiting(List<String> platforms, boolean incompleteToo) {
        if (platforms.isEmpty()) {
            return List.of();
        }
        return withStatesRefreshed(dao -> dao.wakeWaiting(platforms, incompleteToo, clock.instant()));
    }

    /** Moves a configuration's targets that waited for a setting it lacked back to queued; returns them. */
    public List<PendingTarget> wakeIncomplete(UUID configurationId) {
        return withStatesRefreshed(dao -> dao.wakeIncomplete(configurationId, clock.instant()));
    }

    /** Requeues a message's failed targets; returns them (none when nothing had failed). */
    public List<TargetRecord> requeueFailed(UUID messageId) {
        return jdbi.inTransaction(handle -> {
            MessageDao dao = handle.attach(MessageDao.class);
            dao.lockMessages(new UUID[] {messageId});
            List<TargetRecord> requeued = dao.requeueFailedTargets(messageId, clock.instant());
            dao.refreshStates(new UUID[] {messageId}, clock.instant());
            return requeued;
        });
    }

    /** A change to targets of any messages, then their messages' states recomputed, in one transaction. */
    private List<PendingTarget> withStatesRefreshed(Function<MessageDao, List<PendingTarget>> change) {
        return jdbi.inTransaction(handle -> {
            MessageDao dao = handle.attach(MessageDao.class);
            List<PendingTarget> changed = change.apply(dao);
            Set<UUID> messageIds = new LinkedHashSet<>();
            changed.forEach(t -> messageIds.add(t.messageId()));
            refreshShared(dao, messageIds, clock.instant());
            return changed;
        });
    }

    private static void refreshShared(MessageDao dao, Set<UUID> messageIds, Instant now) {
        if (!messageIds.isEmpty()) {
            UUID[] ids = messageIds.toArray(UUID[]::new);
            dao.lockMessages(ids);
            dao.refreshStates(ids, now);
        }
    }

    /** Reads on one handle, for views that join what other features stored (platform-reported statuses). */
    public <R> R read(Function<Handle, R> reader) {
        return jdbi.withHandle(reader::apply);
    }
}
