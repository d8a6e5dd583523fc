package dev.gatekit.core.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatekit.core.errors.ApiException;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks bearer tokens as Auth0 issues them: RS256 or ES256 only (never {@code none} or HMAC),
 * issuer and audience exact, signing keys from the issuer's JWKS, cached and fetched again when a
 * token names a key id the cache does not hold (the issuer rotated its keys).
 */
public class JwtAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);
    private static final Duration JWKS_CACHE_TTL = Duration.ofMinutes(15);
    private static final Duration JWKS_FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** Tokens naming unknown key ids make GateKit fetch the JWKS again, but not more often than this. */
    private static final Duration JWKS_MIN_REFETCH = Duration.ofSeconds(1);

    private final Optional<ConfigurableJWTProcessor<SecurityContext>> processor;

    private JwtAuthenticator(Optional<ConfigurableJWTProcessor<SecurityContext>> processor) {
        this.processor = processor;
    }

    public static JwtAuthenticator disabled() {
        return new JwtAuthenticator(Optional.empty());
    }

    public static JwtAuthenticator forIssuer(JwtSettings settings) {
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(settings.jwksUri().toURL())
                    .cache(JWKS_CACHE_TTL.toMillis(), JWKS_FETCH_TIMEOUT.toMillis())
                    .rateLimited(JWKS_MIN_REFETCH.toMillis())
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Invalid JWKS URL " + settings.jwksUri(), e);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("sub", "exp")));
        return new JwtAuthenticator(Optional.of(processor));
    }

    public Caller authenticate(String token) {
        ConfigurableJWTProcessor<SecurityContext> jwt = processor.orElseThrow(() -> ApiException.unauthorized(
                "JWT authentication is not configured. Please use API key authentication."));
        JWTClaimsSet claims;
        try {
            claims = jwt.process(token, null);
        } catch (RateLimitReachedException e) {
            // Someone sends tokens with made-up key ids faster than we re-fetch: they are not valid now.
            throw ApiException.unauthorized("Invalid or expired token");
        } catch (KeySourceException e) {
            LOG.warn("Cannot fetch the issuer's signing keys: {}", e.toString());
            throw new ApiException(503, "auth_unavailable", "Cannot verify the token now: the issuer's signing keys are unreachable");
        } catch (Exception e) {
            LOG.debug("Rejected a bearer token: {}", e.toString());
            throw ApiException.unauthorized("Invalid or expired token");
        }
        return new Caller(Caller.Kind.JWT, claims.getSubject(), claims.getSubject(), null, scopesOf(claims));
    }

    /**
     * Auth0 puts RBAC permissions in {@code permissions} and OAuth scopes in {@code scope}; a token
     * with neither grants nothing (as the original did), so an issuer that is not set up for
     * GateKit's API cannot hand out full access by leaving the claims out.
     */
    static Set<Scope> scopesOf(JWTClaimsSet claims) {
        Object permissions = claims.getClaim("permissions");
        Object scope = claims.getClaim("scope");
        Set<Scope> granted = EnumSet.noneOf(Scope.class);
        if (permissions instanceof List<?> list) {
            list.forEach(p -> Scope.fromWireName(String.valueOf(p)).ifPresent(granted::add));
        }
        if (scope instanceof String text) {
            for (String s : text.trim().split("\\s+")) {
                Scope.fromWireName(s).ifPresent(granted::add);
            }
        }
        return granted;
    }
}
