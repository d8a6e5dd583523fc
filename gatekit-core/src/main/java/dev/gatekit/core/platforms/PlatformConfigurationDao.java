package dev.gatekit.core.platforms;

import static dev.gatekit.core.db.Rows.instant;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatekit.core.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(PlatformConfigurationDao.Mapper.class)
public interface PlatformConfigurationDao {


    String COLUMNS = "id, project_id, platform, name, credentials_ciphertext, settings, webhook_token, is_active, test_mode, "
            + "messages_per_second, per_target_per_second, created_at, updated_at";

    @SqlUpdate("INSERT INTO platform_configurations (" + COLUMNS + ") VALUES (:id, :projectId, :platform, :name, :ciphertext, "
            + "CAST(:settings AS jsonb), :webhookToken, :isActive, :testMode, :mps, :ptps, :createdAt, :updatedAt)")
    void insert(@Bind("id") UUID id, @Bind("projectId") UUID projectId, @Bind("platform") String platform,
                @Bind("name") String name, @Bind("ciphertext") String ciphertext, @Bind("settings") String settings,
                @Bind("webhookToken") UUID webhookToken, @Bind("isActive") boolean isActive, @Bind("testMode") boolean testMode,
                @Bind("mps") Double messagesPerSecond, @Bind("ptps") Double perTargetPerSecond,
                @Bind("createdAt") Instant createdAt, @Bind("updatedAt") Instant updatedAt);

    default void insert(StoredPlatformConfiguration c) {
        insert(c.id(), c.projectId(), c.platform(), c.name(), c.credentialsCiphertext(), json(c.settings()), c.webhookToken(),
                c.isActive(), c.testMode(), c.limits().messagesPerSecond(), c.limits().perTargetPerSecond(), c.createdAt(),
                c.updatedAt());
    }

    @SqlUpdate("UPDATE platform_configurations SET name = :name, credentials_ciphertext = :ciphertext, "
            + "settings = CAST(:settings AS jsonb), webhook_token = :webhookToken, is_active = :isActive, test_mode = :testMode, "
            + "messages_per_second = :mps, per_target_per_second = :ptps, updated_at = :updatedAt WHERE id = :id")
    int update(@Bind("id") UUID id, @Bind("name") String name, @Bind("ciphertext") String ciphertext,
               @Bind("settings") String settings, @Bind("webhookToken") UUID webhookToken, @Bind("isActive") boolean isActive,
               @Bind("testMode") boolean testMode, @Bind("mps") Double messagesPerSecond, @Bind("ptps") Double perTargetPerSecond,
               @Bind("updatedAt") Instant updatedAt);

    default void update(StoredPlatformConfiguration c) {
        update(c.id(), c.name(), c.credentialsCiphertext(), json(c.settings()), c.webhookToken(), c.isActive(), c.testMode(),
                c.limits().messagesPerSecond(), c.limits().perTargetPerSecond(), c.updatedAt());
    }

    @SqlQuery("SELECT " + COLUMNS + " FROM platform_configurations WHERE project_id = :projectId ORDER BY created_at, id")
    List<StoredPlatformConfiguration> listForProject(@Bind("projectId") UUID projectId);

    @SqlQuery("SELECT " + COLUMNS + " FROM platform_configurations WHERE platform = :platform AND is_active ORDER BY created_at, id")
    List<StoredPlatformConfiguration> listActiveForPlatform(@Bind("platform") String platform);

    @SqlQuery("SELECT " + COLUMNS + " FROM platform_configurations WHERE id = :id")
    Optional<StoredPlatformConfiguration> findById(@Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM platform_configurations WHERE platform = :platform AND webhook_token = :token")
    Optional<StoredPlatformConfiguration> findByWebhookToken(@Bind("platform") String platform, @Bind("token") UUID token);

    @SqlUpdate("DELETE FROM platform_configurations WHERE id = :id")
    int delete(@Bind("id") UUID id);

    @SqlQuery("SELECT id FROM platform_configurations ORDER BY id")
    List<UUID> allIds();

    /** Swaps the ciphertext only if nobody changed it meanwhile. */
    @SqlUpdate("UPDATE platform_configurations SET credentials_ciphertext = :sealed WHERE id = :id AND credentials_ciphertext = :previous")
    int reseal(@Bind("id") UUID id, @Bind("previous") String previous, @Bind("sealed") String sealed);

    static String json(Map<String, String> settings) {
        return Json.write(settings);
    }

    class Mapper implements RowMapper<StoredPlatformConfiguration> {
        private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

        @Override
        public StoredPlatformConfiguration map(ResultSet rs, StatementContext ctx) throws SQLException {
            Map<String, String> settings = Json.read(rs.getString("settings"), MAP);
            return new StoredPlatformConfiguration(
                    rs.getObject("id", UUID.class),
                    rs.getObject("project_id", UUID.class),
                    rs.getString("platform"),
                    rs.getString("name"),
                    rs.getString("credentials_ciphertext"),
                    settings,
                    rs.getObject("webhook_token", UUID.class),
                    rs.getBoolean("is_active"),
                    rs.getBoolean("test_mode"),
                    new LimitOverrides(rs.getObject("messages_per_second", Double.class),
                            rs.getObject("per_target_per_second", Double.class)),
                    instant(rs, "created_at"),
                    instant(rs, "updated_at"));
        }
    }
}
