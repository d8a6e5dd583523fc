package dev.gatekit.core.history;

import java.time.Instant;
import java.util.Optional;

/**
 * A history request's filters, each optional: {@code direction} inbound or outbound, a platform,
 * a state ({@code received} for inbound items), a target or chat id, {@code from} (inclusive) and
 * {@code to} (exclusive) on the time GateKit recorded the item, and where the last page ended.
 */
public record HistoryQuery(String direction, String platform, String state, String chat, Instant from, Instant to,
                           Optional<Cursor> after, int limit) {

    public boolean wantsOutbound() {
        return (direction == null || direction.equals("outbound")) && !"received".equals(state);
    }

    public boolean wantsInbound() {
        return (direction == null || direction.equals("inbound")) && (state == null || state.equals("received"));
    }
}
