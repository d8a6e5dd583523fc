package dev.gatekit.core.keys;

import dev.gatekit.core.auth.Scope;
import static dev.gatekit.core.db.Rows.instant;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(ApiKeyDao.ApiKeyMapper.class)
public interface ApiKeyDao {

    String COLUMNS = "id, project_id, name, key_hash, key_prefix, key_suffix, environment, scopes, is_admin, "
            + "expires_at, revoked_at, last_used_at, created_at, created_by";

    @SqlUpdate("INSERT INTO api_keys (" + COLUMNS + ") VALUES (:id, :projectId, :name, :keyHash, :keyPrefix, :keySuffix, "
            + ":environment, :scopes, :admin, :expiresAt, :revokedAt, :lastUsedAt, :createdAt, :createdBy)")
    void insert(@Bind("id") UUID id, @Bind("projectId") UUID projectId, @Bind("name") String name,
                @Bind("keyHash") String keyHash, @Bind("keyPrefix") String keyPrefix, @Bind("keySuffix") String keySuffix,
                @Bind("environment") String environment, @Bind("scopes") String scopes, @Bind("admin") boolean admin,
                @Bind("expiresAt") Instant expiresAt, @Bind("revokedAt") Instant revokedAt, @Bind("lastUsedAt") Instant lastUsedAt,
                @Bind("createdAt") Instant createdAt, @Bind("createdBy") String createdBy);

    default void insert(ApiKey key) {
        insert(key.id(), key.projectId(), key.name(), key.keyHash(), key.keyPrefix(), key.keySuffix(), key.environment(),
                joinScopes(key.scopes()), key.admin(), key.expiresAt(), key.revokedAt(), key.lastUsedAt(), key.createdAt(),
                key.createdBy());
    }

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = :hash")
    Optional<ApiKey> findByHash(@Bind("hash") String hash);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id AND project_id = :projectId")
    Optional<ApiKey> findInProject(@Bind("projectId") UUID projectId, @Bind("id") UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE project_id = :projectId ORDER BY created_at DESC, id")
    List<ApiKey> listForProject(@Bind("projectId") UUID projectId);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE is_admin ORDER BY created_at, id")
    List<ApiKey> listAdmin();

    @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE is_admin AND id = :id")
    Optional<ApiKey> findAdmin(@Bind("id") UUID id);

    @SqlQuery("SELECT key_hash FROM api_keys WHERE project_id = :projectId")
    List<String> hashesForProject(@Bind("projectId") UUID projectId);

    /** Never moves a revocation later: a key revoked already stays revoked from that moment. */
    @SqlUpdate("UPDATE api_keys SET revoked_at = :revokedAt WHERE id = :id AND (revoked_at IS NULL OR revoked_at > :revokedAt)")
    int revoke(@Bind("id") UUID id, @Bind("revokedAt") Instant revokedAt);

    @SqlUpdate("UPDATE api_keys SET last_used_at = :usedAt WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :usedAt)")
    void recordUse(@Bind("id") UUID id, @Bind("usedAt") Instant usedAt);

    static String joinScopes(Set<Scope> scopes) {
        return scopes.stream().map(Scope::wireName).sorted().collect(Collectors.joining(" "));
    }

    class ApiKeyMapper implements RowMapper<ApiKey> {
        @Override
        public ApiKey map(ResultSet rs, StatementContext ctx) throws SQLException {
            Set<Scope> scopes = Arrays.stream(rs.getString("scopes").split(" "))
                    .filter(s -> !s.isEmpty())
                    .map(s -> Scope.fromWireName(s).orElseThrow(() -> new IllegalStateException("Unknown stored scope " + s)))
                    .collect(Collectors.toSet());
            return new ApiKey(
                    rs.getObject("id", UUID.class),
                    rs.getObject("project_id", UUID.class),
                    rs.getString("name"),
                    rs.getString("key_hash"),
                    rs.getString("key_prefix"),
                    rs.getString("key_suffix"),
                    rs.getString("environment"),
                    scopes,
                    rs.getBoolean("is_admin"),
                    instant(rs, "expires_at"),
                    instant(rs, "revoked_at"),
                    instant(rs, "last_used_at"),
                    instant(rs, "created_at"),
                    rs.getString("created_by"));
        }
    }
}
