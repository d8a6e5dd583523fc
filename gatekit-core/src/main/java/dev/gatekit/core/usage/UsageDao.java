package dev.gatekit.core.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The rolled-up counters: added to as things happen, read by range. */
@RegisterRowMapper(UsageDao.UsageRowMapper.class)
public interface UsageDao {

    /** Counts of a project deleted since they were taken are dropped, so they cannot fail the whole batch. */
    @SqlBatch("INSERT INTO usage_counters (project_id, day, platform, key_id, metric, count) "
            + "SELECT :projectId, :day, :platform, :keyId, :metric, :count WHERE EXISTS (SELECT 1 FROM projects WHERE id = :projectId) "
            + "ON CONFLICT (project_id, day, metric, platform, key_id) DO UPDATE SET count = usage_counters.count + EXCLUDED.count")
    void add(@Bind("projectId") List<UUID> projectIds, @Bind("day") List<LocalDate> days, @Bind("platform") List<String> platforms,
             @Bind("keyId") List<String> keyIds, @Bind("metric") List<String> metrics, @Bind("count") List<Long> counts);

    /** Sums per group; {@code groupBy} is one of the fixed column names below, never user text. */
    @SqlQuery("SELECT to_char(day, 'YYYY-MM-DD') AS grp, metric, sum(count) AS total FROM usage_counters "
            + "WHERE project_id = :projectId AND day BETWEEN :from AND :to GROUP BY day, metric ORDER BY day, metric")
    List<UsageRow> byDay(@Bind("projectId") UUID projectId, @Bind("from") LocalDate from, @Bind("to") LocalDate to);

    @SqlQuery("SELECT platform AS grp, metric, sum(count) AS total FROM usage_counters "
            + "WHERE project_id = :projectId AND day BETWEEN :from AND :to GROUP BY platform, metric ORDER BY platform, metric")
    List<UsageRow> byPlatform(@Bind("projectId") UUID projectId, @Bind("from") LocalDate from, @Bind("to") LocalDate to);

    @SqlQuery("SELECT key_id AS grp, metric, sum(count) AS total FROM usage_counters "
            + "WHERE project_id = :projectId AND day BETWEEN :from AND :to GROUP BY key_id, metric ORDER BY key_id, metric")
    List<UsageRow> byKey(@Bind("projectId") UUID projectId, @Bind("from") LocalDate from, @Bind("to") LocalDate to);

    record UsageRow(String grp, String metric, long total) {
    }

    class UsageRowMapper implements RowMapper<UsageRow> {
        @Override
        public UsageRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new UsageRow(rs.getString("grp"), rs.getString("metric"), rs.getLong("total"));
        }
    }
}
