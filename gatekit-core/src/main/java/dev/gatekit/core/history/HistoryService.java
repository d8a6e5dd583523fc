package dev.gatekit.core.history;

import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.http.TimeParameters;
import dev.gatekit.core.messages.DeliveryAttempts;
import dev.gatekit.core.messages.TargetState;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.webhooks.PlatformStatuses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The project's message history: outbound messages (with their state and targets) and inbound
 * events, merged newest first on (created_at, id). Each side is one index-ordered query limited to
 * the page size plus one, so a page costs the same on a million rows as on ten.
 */
public class HistoryService {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final Comparator<HistoryDao.Row> NEWEST_FIRST = Comparator.comparing(HistoryDao.Row::createdAt)
            .thenComparing(HistoryDao.Row::id).reversed();

    /** A page of history; {@code nextCursor} is null on the last page. */
    public record Page(List<Map<String, Object>> messages, String nextCursor) {
    }

    private final Jdbi jdbi;

    public HistoryService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Page list(Project project, String direction, String platform, String state, String chat, String from, String to,
                     String cursor, Integer limit) {
        HistoryQuery query = query(direction, platform, state, chat, from, to, cursor, limit);
        return jdbi.withHandle(handle -> {
            List<HistoryDao.Row> rows = new ArrayList<>();
            if (query.wantsOutbound()) {
                rows.addAll(HistoryDao.outbound(handle, project.id(), query));
            }
            if (query.wantsInbound()) {
                rows.addAll(HistoryDao.inbound(handle, project.id(), query));
            }
            rows.sort(NEWEST_FIRST);
            boolean more = rows.size() > query.limit();
            List<HistoryDao.Row> page = more ? rows.subList(0, query.limit()) : rows;
            List<UUID> outboundIds = page.stream().filter(r -> r.direction().equals("outbound")).map(HistoryDao.Row::id).toList();
            Map<UUID, List<Map<String, Object>>> targets = withDetails(handle, HistoryDao.targets(handle, outboundIds));
            List<Map<String, Object>> items = new ArrayList<>();
            for (HistoryDao.Row row : page) {
                items.add(withTargets(row, targets));
            }
            HistoryDao.Row last = page.isEmpty() ? null : page.get(page.size() - 1);
            return new Page(items, more ? new Cursor(last.createdAt(), last.id()).encode() : null);
        });
    }

    public Map<String, Object> get(Project project, UUID id) {
        return jdbi.withHandle(handle -> HistoryDao.outboundById(handle, project.id(), id)
                .map(row -> withTargets(row, withDetails(handle, HistoryDao.targets(handle, List.of(row.id())))))
                .or(() -> HistoryDao.inboundById(handle, project.id(), id).map(HistoryDao.Row::fields))
                .orElseThrow(() -> ApiException.notFound("Message '" + id + "' not found")));
    }

    /** Adds to each target its latest attempts and the latest status its platform reported, when there is one. */
    private static Map<UUID, List<Map<String, Object>>> withDetails(Handle handle, Map<UUID, List<Map<String, Object>>> targets) {
        List<Map<String, Object>> all = targets.values().stream().flatMap(List::stream).toList();
        Map<UUID, List<DeliveryAttempts.Attempt>> attempts = DeliveryAttempts.of(handle,
                all.stream().map(t -> UUID.fromString((String) t.get("id"))).toList());
        all.forEach(t -> t.put("deliveryAttempts", attempts.getOrDefault(UUID.fromString((String) t.get("id")), List.of())));
        return withPlatformStatuses(handle, targets);
    }

    /** Adds to each target the latest status its platform reported for its message, when there is one. */
    @SuppressWarnings("unchecked")
    private static Map<UUID, List<Map<String, Object>>> withPlatformStatuses(Handle handle, Map<UUID, List<Map<String, Object>>> targets) {
        List<Map<String, Object>> all = targets.values().stream().flatMap(List::stream).toList();
        List<PlatformStatuses.Key> keys = all.stream().flatMap(t -> PlatformStatuses.keys(UUID.fromString((String) t.get("configurationId")),
                (List<String>) t.get("platformMessageIds")).stream()).toList();
        Map<PlatformStatuses.Key, PlatformStatuses.Latest> reported = PlatformStatuses.latest(handle, keys);
        for (Map<String, Object> target : all) {
            PlatformStatuses.forTarget(reported, UUID.fromString((String) target.get("configurationId")),
                    (List<String>) target.get("platformMessageIds")).ifPresent(latest -> {
                        Map<String, Object> status = new LinkedHashMap<>();
                        status.put("status", latest.status());
                        status.put("detail", latest.detail());
                        status.put("at", latest.at().toString());
                        status.put("platformMessageId", latest.platformMessageId());
                        target.put("platformStatus", status);
                    });
        }
        return targets;
    }

    private static Map<String, Object> withTargets(HistoryDao.Row row, Map<UUID, List<Map<String, Object>>> targets) {
        if (!row.direction().equals("outbound")) {
            return row.fields();
        }
        Map<String, Object> item = new LinkedHashMap<>(row.fields());
        List<Map<String, Object>> list = targets.getOrDefault(row.id(), List.of());
        item.put("platforms", list.stream().map(t -> t.get("platform")).distinct().toList());
        item.put("targets", list);
        return item;
    }

    static HistoryQuery query(String direction, String platform, String state, String chat, String from, String to, String cursor,
                              Integer limit) {
        List<ErrorDetail> errors = new ArrayList<>();
        String dir = blankToNull(direction);
        if (dir != null) {
            dir = dir.toLowerCase(Locale.ROOT);
            if (!dir.equals("inbound") && !dir.equals("outbound")) {
                errors.add(new ErrorDetail("direction", "must be inbound or outbound"));
            }
        }
        String st = blankToNull(state);
        if (st != null) {
            st = st.toLowerCase(Locale.ROOT);
            if (!st.equals("received")) {
                try {
                    TargetState.parse(st);
                } catch (IllegalArgumentException e) {
                    errors.add(new ErrorDetail("state", "must be queued, active, delayed, delivered, failed, waiting or received"));
                }
            }
        }
        Instant fromAt = instant("from", from, errors);
        Instant toAt = instant("to", to, errors);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            errors.add(new ErrorDetail("limit", "must be 1 to " + MAX_LIMIT));
        }
        if (!errors.isEmpty()) {
            throw ApiException.badParameters(errors);
        }
        return new HistoryQuery(dir, blankToNull(platform), st, blankToNull(chat), fromAt, toAt, Cursor.parse(cursor), size);
    }

    private static Instant instant(String field, String value, List<ErrorDetail> errors) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        Optional<Instant> instant = TimeParameters.instant(text);
        if (instant.isEmpty()) {
            errors.add(new ErrorDetail(field, TimeParameters.PROBLEM));
        }
        return instant.orElse(null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
