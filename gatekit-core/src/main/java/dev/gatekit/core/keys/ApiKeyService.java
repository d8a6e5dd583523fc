package dev.gatekit.core.keys;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.redis.InvalidationBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Creates, lists, revokes and rolls API keys. A key is shown in clear only in the answer that made it. */
public class ApiKeyService {

    static final String ADMIN_TAG = "admin";
    /** Inside what Postgres' timestamptz holds. */
    private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T00:00:00Z");

    private final Jdbi jdbi;
    private final ApiKeyDao keys;
    private final InvalidationBus invalidations;
    private final Clock clock;

    public ApiKeyService(Jdbi jdbi, InvalidationBus invalidations, Clock clock) {
        this.jdbi = jdbi;
        this.keys = jdbi.onDemand(ApiKeyDao.class);
        this.invalidations = invalidations;
        this.clock = clock;
    }

    public record IssuedKey(ApiKey key, String secret) {
    }

    /** A rolled key: the new one, and when the old one stops (or stopped) working. */
    public record RolledKey(IssuedKey issued, Instant oldKeyRevokedAt) {
    }

    public List<ApiKey> list(Project project) {
        return keys.listForProject(project.id());
    }

    public IssuedKey create(Caller caller, Project project, CreateApiKeyRequest request) {
        Set<Scope> scopes = parseScopes(request.scopes());
        requireHolds(caller, scopes);
        Instant now = clock.instant();
        if (request.expiresAt() != null && request.expiresInDays() != null) {
            throw ApiException.invalid("expiresAt", "send either expiresAt or expiresInDays, not both");
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw ApiException.invalid("expiresAt", "must be in the future");
        }
        if (request.expiresAt() != null && request.expiresAt().isAfter(LATEST_EXPIRY)) {
            throw ApiException.invalid("expiresAt", "must be before " + LATEST_EXPIRY);
        }
        Instant expiresAt = request.expiresInDays() != null ? now.plus(Duration.ofDays(request.expiresInDays())) : request.expiresAt();
        String tag = (request.environment() != null ? request.environment() : project.environment()).keyTag();
        return issue(project.id(), request.name().trim(), tag, scopes, false, expiresAt, caller.id());
    }

    /** A revoked key, and whether it had been revoked already (the original answers that apart). */
    public record RevokedKey(ApiKey key, boolean alreadyRevoked) {
    }

    public RevokedKey revoke(Project project, UUID keyId) {
        ApiKey key = find(project, keyId);
        Instant now = clock.instant();
        boolean alreadyRevoked = keys.revoke(key.id(), now) == 0;
        invalidations.announce(InvalidationBus.Topic.API_KEY, key.keyHash());
        return new RevokedKey(keys.findInProject(project.id(), keyId).orElseThrow(), alreadyRevoked);
    }

    /**
     * A new secret with the same name, scopes and lifetime; the old one stops working now, or
     * after {@code gracePeriod}.
     */
    public RolledKey roll(Caller caller, Project project, UUID keyId, Duration gracePeriod) {
        ApiKey old = find(project, keyId);
        // Rolling hands out a new secret with the old key's scopes: no more than the caller holds.
        requireHolds(caller, old.scopes());
        Instant now = clock.instant();
        if (old.status(now) == ApiKey.Status.REVOKED) {
            throw ApiException.conflict("Key " + keyId + " is revoked and cannot be rolled");
        }
        Instant expiresAt = old.expiresAt() == null ? null : now.plus(Duration.between(old.createdAt(), old.expiresAt()));
        Instant oldKeyRevokedAt = now.plus(gracePeriod);
        IssuedKey rolled = jdbi.inTransaction(handle -> {
            ApiKeyDao dao = handle.attach(ApiKeyDao.class);
            dao.revoke(old.id(), oldKeyRevokedAt);
            return issue(dao, project.id(), old.name(), old.environment(), old.scopes(), false, expiresAt, caller.id());
        });
        invalidations.announce(InvalidationBus.Topic.API_KEY, old.keyHash());
        return new RolledKey(rolled, oldKeyRevokedAt);
    }

    public List<ApiKey> listAdminKeys() {
        return keys.listAdmin();
    }

    /** Revokes an operator's key at once, on every instance; empty when there is no such admin key. */
    public Optional<ApiKey> revokeAdminKey(UUID keyId) {
        Optional<ApiKey> key = keys.findAdmin(keyId);
        key.ifPresent(k -> {
            keys.revoke(k.id(), clock.instant());
            invalidations.announce(InvalidationBus.Topic.API_KEY, k.keyHash());
        });
        return key.flatMap(k -> keys.findAdmin(k.id()));
    }

    /** An operator's key that reaches every project; minted only through the admin port. */
    public IssuedKey mintAdminKey(String name, String mintedBy) {
        return issue(null, name, ADMIN_TAG, Scope.all(), true, null, mintedBy);
    }

    private static void requireHolds(Caller caller, Set<Scope> scopes) {
        if (!caller.scopes().containsAll(scopes)) {
            Set<Scope> beyond = EnumSet.copyOf(scopes);
            beyond.removeAll(caller.scopes());
            throw ApiException.forbidden("A key cannot grant scopes its creator does not hold: " + names(beyond));
        }
    }

    private ApiKey find(Project project, UUID keyId) {
        return keys.findInProject(project.id(), keyId)
                .orElseThrow(() -> ApiException.notFound("API key " + keyId + " not found"));
    }

    private IssuedKey issue(UUID projectId, String name, String tag, Set<Scope> scopes, boolean admin, Instant expiresAt, String createdBy) {
        return issue(keys, projectId, name, tag, scopes, admin, expiresAt, createdBy);
    }

    private IssuedKey issue(ApiKeyDao dao, UUID projectId, String name, String tag, Set<Scope> scopes, boolean admin,
                            Instant expiresAt, String createdBy) {
        String secret = ApiKeySecrets.generate(tag);
        ApiKey key = new ApiKey(UUID.randomUUID(), projectId, name, ApiKeySecrets.hash(secret),
                ApiKeySecrets.prefixOf(secret), ApiKeySecrets.suffixOf(secret), tag, scopes, admin, expiresAt, null, null,
                clock.instant(), createdBy);
        dao.insert(key);
        return new IssuedKey(key, secret);
    }

    static Set<Scope> parseScopes(List<String> names) {
        List<ErrorDetail> unknown = new ArrayList<>();
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Optional<Scope> scope = Scope.fromWireName(name);
            if (scope.isPresent()) {
                scopes.add(scope.get());
            } else {
                unknown.add(new ErrorDetail("scopes[" + i + "]", "unknown scope '" + name + "'; known scopes: " + names(Scope.all())));
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.invalid(unknown);
        }
        return scopes;
    }

    private static String names(Set<Scope> scopes) {
        return scopes.stream().map(Scope::wireName).sorted().collect(Collectors.joining(", "));
    }
}
