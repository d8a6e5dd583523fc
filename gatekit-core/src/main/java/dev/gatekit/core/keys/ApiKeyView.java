package dev.gatekit.core.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekit.core.auth.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A key as the API shows it: never the secret, except {@code key} in the one answer that
 * created it (create and roll).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(
        UUID id,
        String name,
        String environment,
        List<Scope> scopes,
        String maskedKey,
        String keyPrefix,
        String lastFour,
        String status,
        Instant lastUsedAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant createdAt,
        String key,
        String warning,
        Instant oldKeyRevokedAt,
        String message) {

    public static ApiKeyView of(ApiKey k, Instant now) {
        return new ApiKeyView(k.id(), k.name(), k.environment(), k.scopes().stream().sorted(java.util.Comparator.comparing(Scope::wireName)).toList(), k.masked(),
                k.keyPrefix(), k.keySuffix(), k.status(now).name().toLowerCase(Locale.ROOT), k.lastUsedAt(),
                k.expiresAt(), k.revokedAt(), k.createdAt(), null, null, null, null);
    }

    public static ApiKeyView withSecret(ApiKey k, String secret, Instant now) {
        ApiKeyView view = of(k, now);
        return new ApiKeyView(view.id, view.name, view.environment, view.scopes, view.maskedKey, view.keyPrefix,
                view.lastFour, view.status, view.lastUsedAt, view.expiresAt, view.revokedAt, view.createdAt, secret,
                "Store this key now: it is shown only once.", null, null);
    }

    /** The answer to a roll: the new key with its secret, and when the old one stops working (the original's field). */
    public static ApiKeyView rolled(ApiKeyService.RolledKey rolled, Instant now) {
        ApiKeyView view = withSecret(rolled.issued().key(), rolled.issued().secret(), now);
        return new ApiKeyView(view.id, view.name, view.environment, view.scopes, view.maskedKey, view.keyPrefix,
                view.lastFour, view.status, view.lastUsedAt, view.expiresAt, view.revokedAt, view.createdAt, view.key,
                view.warning, rolled.oldKeyRevokedAt(), null);
    }

    /** The answer to a revoke: the key, with the original's {@code message} that clients of it read. */
    public static ApiKeyView revoked(ApiKeyService.RevokedKey revoked, Instant now) {
        ApiKeyView view = of(revoked.key(), now);
        return new ApiKeyView(view.id, view.name, view.environment, view.scopes, view.maskedKey, view.keyPrefix,
                view.lastFour, view.status, view.lastUsedAt, view.expiresAt, view.revokedAt, view.createdAt, null, null,
                null, revoked.alreadyRevoked() ? "API key already revoked" : "API key revoked successfully");
    }
}
