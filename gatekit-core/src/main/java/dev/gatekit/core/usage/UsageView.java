package dev.gatekit.core.usage;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Usage over {@code from}..{@code to} (UTC days, both included): the totals and one group per day,
 * platform or key. A group's {@code key} is null for figures without one (received messages have
 * no key; API requests have no platform).
 */
public record UsageView(LocalDate from, LocalDate to, String groupBy, Map<String, Long> totals, List<Group> groups) {

    public record Group(String key, Map<String, Long> figures) {
    }
}
