package dev.gatekit.core.projects;

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

@RegisterRowMapper(ProjectDao.ProjectMapper.class)
public interface ProjectDao {

    String COLUMNS = "id, slug, name, description, environment, is_default, settings, owner_subject, created_at, updated_at";

    @SqlUpdate("INSERT INTO projects (" + COLUMNS + ") VALUES (:id, :slug, :name, :description, :environment, :isDefault, "
            + "CAST(:settings AS jsonb), :ownerSubject, :createdAt, :updatedAt)")
    void insert(@Bind("id") UUID id, @Bind("slug") String slug, @Bind("name") String name,
                @Bind("description") String description, @Bind("environment") String environment,
                @Bind("isDefault") boolean isDefault, @Bind("settings") String settings,
                @Bind("ownerSubject") String ownerSubject, @Bind("createdAt") Instant createdAt,
                @Bind("updatedAt") Instant updatedAt);

    default void insert(Project p) {
        insert(p.id(), p.slug(), p.name(), p.description(), p.environment().wireName(), p.isDefault(),
                settingsJson(p.settings()), p.ownerSubject(), p.createdAt(), p.updatedAt());
    }

    @SqlUpdate("UPDATE projects SET slug = :slug, name = :name, description = :description, environment = :environment, "
            + "is_default = :isDefault, settings = CAST(:settings AS jsonb), updated_at = :updatedAt WHERE id = :id")
    int update(@Bind("id") UUID id, @Bind("slug") String slug, @Bind("name") String name,
               @Bind("description") String description, @Bind("environment") String environment,
               @Bind("isDefault") boolean isDefault, @Bind("settings") String settings, @Bind("updatedAt") Instant updatedAt);

    default void update(Project p) {
        update(p.id(), p.slug(), p.name(), p.description(), p.environment().wireName(), p.isDefault(),
                settingsJson(p.settings()), p.updatedAt());
    }

    @SqlQuery("SELECT " + COLUMNS + " FROM projects WHERE slug = :slug")
    Optional<Project> findBySlug(@Bind("slug") String slug);

    @SqlQuery("SELECT " + COLUMNS + " FROM projects WHERE id = :id")
    Optional<Project> findById(@Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM projects ORDER BY created_at, slug")
    List<Project> listAll();

    @SqlQuery("SELECT " + COLUMNS + " FROM projects WHERE owner_subject = :owner ORDER BY created_at, slug")
    List<Project> listOwnedBy(@Bind("owner") String ownerSubject);

    @SqlQuery("SELECT slug FROM projects WHERE slug = :base OR slug LIKE :base || '-%'")
    List<String> slugsLike(@Bind("base") String base);

    /** Makes {@code id} its tenant's only default project (a tenant: one JWT subject, or the admin keys' projects). */
    @SqlQuery("UPDATE projects SET is_default = false, updated_at = :now WHERE is_default AND id <> :id "
            + "AND owner_subject IS NOT DISTINCT FROM :owner RETURNING slug")
    List<String> clearOtherDefaults(@Bind("id") UUID id, @Bind("owner") String ownerSubject, @Bind("now") Instant now);

    @SqlQuery("SELECT count(*) FROM platform_configurations WHERE project_id = :id")
    long countPlatformConfigurations(@Bind("id") UUID id);

    @SqlUpdate("DELETE FROM projects WHERE id = :id")
    int delete(@Bind("id") UUID id);

    static String settingsJson(Map<String, Object> settings) {
        return Json.write(settings);
    }

    class ProjectMapper implements RowMapper<Project> {
        private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

        @Override
        public Project map(ResultSet rs, StatementContext ctx) throws SQLException {
            Map<String, Object> settings = Json.read(rs.getString("settings"), MAP);
            return new Project(
                    rs.getObject("id", UUID.class),
                    rs.getString("slug"),
                    rs.getString("name"),
                    rs.getString("description"),
                    ProjectEnvironment.parse(rs.getString("environment")),
                    rs.getBoolean("is_default"),
                    settings,
                    rs.getString("owner_subject"),
                    instant(rs, "created_at"),
                    instant(rs, "updated_at"));
        }
    }
}
