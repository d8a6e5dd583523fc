package dev.gatekit.app.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gatekit.core.auth.Scope;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for an Auth0 tenant: serves {@code /.well-known/jwks.json} from keys the test
 * controls and signs tokens with them, so tests can rotate keys and forge bad tokens.
 */
public final class JwksServer implements AutoCloseable {

    public static final String AUDIENCE = "https://api.gatekit.test";

    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    private JwksServer(HttpServer server) {
        this.server = server;
    }

    public static JwksServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            JwksServer jwks = new JwksServer(server);
            server.createContext("/.well-known/jwks.json", exchange -> {
                jwks.fetches.incrementAndGet();
                byte[] body = new JWKSet(List.copyOf(jwks.published)).toString(true).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return jwks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What AUTH0_DOMAIN is set to: a base URL, so GateKit expects this issuer. */
    public String domain() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String issuer() {
        return domain() + "/";
    }

    public int fetches() {
        return fetches.get();
    }

    public RSAKey newRsaKey(boolean publish) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
            if (publish) {
                published.add(key.toPublicJWK());
            }
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public ECKey newEcKey(boolean publish) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
            if (publish) {
                published.add(key.toPublicJWK());
            }
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public void publish(JWK key) {
        published.add(key.toPublicJWK());
    }

    /** Claims as Auth0 would issue them for {@code subject}, valid for five minutes. */
    public JWTClaimsSet.Builder claims(String subject) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(new java.util.Date(now))
                .expirationTime(new java.util.Date(now + 300_000));
    }

    /** Claims granting every scope, as an Auth0 API with RBAC puts them in {@code permissions}. */
    public JWTClaimsSet.Builder fullAccessClaims(String subject) {
        return claims(subject).claim("permissions", Scope.all().stream().map(Scope::wireName).toList());
    }

    public static String sign(JWK key, JWTClaimsSet claims) {
        try {
            JWSAlgorithm algorithm = key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String signHs256(byte[] secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
