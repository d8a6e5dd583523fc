package dev.gatekit.core.webhooks;

import static dev.gatekit.core.db.Rows.instant;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The latest delivery status a platform reported (sent, delivered, read, failed) for messages
 * GateKit sent, found on read in {@code inbound_events} by configuration and platform message id.
 * Nothing is written to {@code message_targets} when a status arrives, so the delivery path does
 * no extra work for it.
 */
public final class PlatformStatuses {

    /** One platform message of one configuration. */
    public record Key(UUID configurationId, String platformMessageId) {
    }

    /** A reported status; {@code at} is when the platform says it changed. */
    public record Latest(String status, String detail, Instant at, String platformMessageId) {
    }

    /**
     * Newest first; within the same instant (platforms report whole seconds), the further along
     * wins, since "sent" and "delivered" often share a second.
     */
    private static final Comparator<Latest> NEWEST = Comparator.comparing(Latest::at)
            .thenComparingInt(latest -> rank(latest.status()));

    private PlatformStatuses() {
    }

    /** The latest status of each key that has one. */
    public static Map<Key, Latest> latest(Handle handle, Collection<Key> keys) {
        Map<Key, Latest> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        Set<Key> wanted = Set.copyOf(keys);
        // Every pair of the two lists is fetched, then only the wanted pairs are kept: a message's
        // targets rarely span more than one configuration, so there are few extra rows.
        List<UUID> configurations = wanted.stream().map(Key::configurationId).distinct().toList();
        List<String> ids = wanted.stream().map(Key::platformMessageId).distinct().toList();
        handle.createQuery("SELECT configuration_id, platform_message_id, status, status_detail, received_at FROM inbound_events "
                        + "WHERE kind = 'status' AND configuration_id IN (<configurations>) AND platform_message_id IN (<ids>)")
                .bindList("configurations", configurations)
                .bindList("ids", ids)
                .map((rs, ctx) -> Map.entry(new Key(rs.getObject("configuration_id", UUID.class), rs.getString("platform_message_id")),
                        new Latest(rs.getString("status"), rs.getString("status_detail"), instant(rs, "received_at"),
                                rs.getString("platform_message_id"))))
                .forEach(row -> {
                    if (wanted.contains(row.getKey())) {
                        found.merge(row.getKey(), row.getValue(), (a, b) -> NEWEST.compare(a, b) >= 0 ? a : b);
                    }
                });
        return found;
    }

    /** The latest status across a target's platform message ids (a target may have become several messages). */
    public static Optional<Latest> forTarget(Map<Key, Latest> found, UUID configurationId, List<String> platformMessageIds) {
        return platformMessageIds.stream()
                .map(id -> found.get(new Key(configurationId, id)))
                .filter(java.util.Objects::nonNull)
                .max(NEWEST);
    }

    /** The keys of a target's platform message ids. */
    public static Set<Key> keys(UUID configurationId, List<String> platformMessageIds) {
        return platformMessageIds.stream().map(id -> new Key(configurationId, id)).collect(Collectors.toSet());
    }

    private static int rank(String status) {
        return switch (status == null ? "" : status) {
            case "sent" -> 1;
            case "delivered" -> 2;
            case "read" -> 3;
            case "failed" -> 4;
            default -> 0;
        };
    }
}
