package dev.gatekit.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.keys.ApiKey;
import dev.gatekit.core.keys.ApiKeyDao;
import dev.gatekit.core.keys.ApiKeySecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns an {@code X-API-Key} secret into a caller. Lookups are cached briefly by hash; the key's
 * revocation and expiry are checked against the clock on every request, so a grace period ends on
 * time even while the entry is cached, and a revocation evicts the entry on every instance.
 */
public class ApiKeyAuthenticator {

    /** {@code last_used_at} is written at most this often per key, not on every request. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofSeconds(60);

    private final ApiKeyDao keys;
    private final Clock clock;
    private final Cache<String, Optional<ApiKey>> byHash;
    private final ConcurrentMap<UUID, Instant> lastRecordedUse = new ConcurrentHashMap<>();

    public ApiKeyAuthenticator(ApiKeyDao keys, Clock clock, Duration cacheTtl) {
        this.keys = keys;
        this.clock = clock;
        this.byHash = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(50_000).build();
    }

    public Caller authenticate(String secret) {
        String hash = ApiKeySecrets.hash(secret);
        ApiKey key = byHash.get(hash, keys::findByHash)
                .filter(k -> ApiKeySecrets.matches(secret, k.keyHash()))
                .orElseThrow(() -> invalidKey("unknown key"));
        Instant now = clock.instant();
        switch (key.status(now)) {
            case REVOKED -> throw invalidKey("revoked");
            case EXPIRED -> throw invalidKey("expired");
            case ACTIVE -> recordUse(key, now);
        }
        return key.toCaller();
    }

    /** The original's exact message, which migrating clients match; why it failed goes in the details. */
    private static ApiException invalidKey(String problem) {
        return new ApiException(401, "unauthorized", "Invalid API key",
                List.of(new ErrorDetail(AuthenticationFilter.API_KEY_HEADER, problem)));
    }

    public void forget(String keyHash) {
        byHash.invalidate(keyHash);
    }

    private void recordUse(ApiKey key, Instant now) {
        Instant last = lastRecordedUse.get(key.id());
        if (last == null || Duration.between(last, now).compareTo(LAST_USED_RESOLUTION) >= 0) {
            lastRecordedUse.put(key.id(), now);
            keys.recordUse(key.id(), now);
        }
    }
}
