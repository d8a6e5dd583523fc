package dev.gatekit.core.keys;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A stored API key. The secret itself is never stored: only its SHA-256 hash, and the prefix and
 * last four characters so a person can tell keys apart.
 *
 * @param projectId null for an operator's admin key, which reaches every project
 * @param revokedAt when the key stops working; may lie in the future while a roll's grace period runs
 */
public record ApiKey(
        UUID id,
        UUID projectId,
        String name,
        String keyHash,
        String keyPrefix,
        String keySuffix,
        String environment,
        Set<Scope> scopes,
        boolean admin,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt,
        Instant createdAt,
        String createdBy) {

    public ApiKey {
        scopes = Set.copyOf(scopes);
    }

    public enum Status { ACTIVE, REVOKED, EXPIRED }

    public Status status(Instant now) {
        if (revokedAt != null && !revokedAt.isAfter(now)) {
            return Status.REVOKED;
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return Status.EXPIRED;
        }
        return Status.ACTIVE;
    }

    public String masked() {
        return keyPrefix + "..." + keySuffix;
    }

    public Caller toCaller() {
        return new Caller(admin ? Caller.Kind.ADMIN_KEY : Caller.Kind.API_KEY, id.toString(), name, projectId, scopes);
    }
}
