package dev.gatekit.core.usage;

import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.http.TimeParameters;
import dev.gatekit.core.projects.Project;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Reads the rolled-up counters for a project over whole UTC days. */
public class UsageService {

    static final int MAX_DAYS = 366;
    private static final int DEFAULT_DAYS = 30;

    private final UsageDao dao;
    private final Clock clock;

    public UsageService(Jdbi jdbi, Clock clock) {
        this.dao = jdbi.onDemand(UsageDao.class);
        this.clock = clock;
    }

    public UsageView usage(Project project, String rawFrom, String rawTo, String rawGroupBy) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate to = rawTo == null || rawTo.isBlank() ? today : date("to", rawTo);
        LocalDate from = rawFrom == null || rawFrom.isBlank() ? to.minusDays(DEFAULT_DAYS - 1L) : date("from", rawFrom);
        if (from.isAfter(to)) {
            throw ApiException.badParameter("from", "must not be after 'to'");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw ApiException.badParameter("from", "the range may span at most " + MAX_DAYS + " days");
        }
        String groupBy = rawGroupBy == null || rawGroupBy.isBlank() ? "day" : rawGroupBy.trim().toLowerCase(Locale.ROOT);
        List<UsageDao.UsageRow> rows = switch (groupBy) {
            case "day" -> dao.byDay(project.id(), from, to);
            case "platform" -> dao.byPlatform(project.id(), from, to);
            case "key" -> dao.byKey(project.id(), from, to);
            default -> throw ApiException.badParameter("groupBy", "must be day, platform or key");
        };
        Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
        Map<String, Long> totals = emptyFigures();
        for (UsageDao.UsageRow row : rows) {
            groups.computeIfAbsent(row.grp(), g -> emptyFigures()).merge(row.metric(), row.total(), Long::sum);
            totals.merge(row.metric(), row.total(), Long::sum);
        }
        List<UsageView.Group> list = groups.entrySet().stream()
                .map(e -> new UsageView.Group(e.getKey().isEmpty() ? null : e.getKey(), e.getValue())).toList();
        return new UsageView(from, to, groupBy, totals, list);
    }

    private static Map<String, Long> emptyFigures() {
        Map<String, Long> figures = new LinkedHashMap<>();
        for (UsageMetric metric : UsageMetric.values()) {
            figures.put(metric.wireName(), 0L);
        }
        return figures;
    }

    /** Whole days: an instant such as 2024-05-01T10:00:00Z counts as its UTC day. */
    private static LocalDate date(String field, String value) {
        return TimeParameters.instant(value).map(instant -> LocalDate.ofInstant(instant, ZoneOffset.UTC))
                .orElseThrow(() -> ApiException.badParameter(field, TimeParameters.PROBLEM));
    }
}
