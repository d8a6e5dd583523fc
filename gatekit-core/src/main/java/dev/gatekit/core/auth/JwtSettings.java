package dev.gatekit.core.auth;

import java.net.URI;
import java.util.Optional;

/**
 * Where JWTs come from. {@code AUTH0_DOMAIN} is a host name ({@code tenant.auth0.com}, meaning
 * https) or a full base URL ({@code http://127.0.0.1:8089}, for self-hosted issuers and tests).
 */
public record JwtSettings(String issuer, URI jwksUri, String audience) {

    public static Optional<JwtSettings> fromAuth0(String domain, String audience) {
        if (domain == null || domain.isBlank()) {
            return Optional.empty();
        }
        String base = domain.trim();
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            base = "https://" + base;
        }
        if (!base.endsWith("/")) {
            base = base + "/";
        }
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("AUTH0_AUDIENCE must be set when AUTH0_DOMAIN is set");
        }
        return Optional.of(new JwtSettings(base, URI.create(base + ".well-known/jwks.json"), audience.trim()));
    }
}
