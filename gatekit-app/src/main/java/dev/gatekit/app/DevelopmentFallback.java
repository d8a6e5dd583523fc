package dev.gatekit.app;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * What lets a newcomer run GateKit with nothing installed but Java: in the development
 * environment, an unset {@code DATABASE_URL} starts an embedded Postgres, an unset {@code REDIS_URL}
 * an embedded Redis, and an unset {@code ENCRYPTION_KEY} is generated, all kept in one data folder
 * and all announced loudly; an unset {@code GATEKIT_ADMIN_TOKEN} is generated for the run and printed. Outside development none of this happens: the settings are required.
 */
public final class DevelopmentFallback implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(DevelopmentFallback.class);

    private final Path dataDirectory;
    private EmbeddedPostgres postgres;
    private RedisServer redis;

    private DevelopmentFallback(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** Fills in what the configuration lacks, or fails with the one line that says what is missing. */
    public static DevelopmentFallback apply(GateKitConfiguration config) {
        DevelopmentFallback fallback = new DevelopmentFallback(Path.of(config.getEmbedded().dataDirectory).toAbsolutePath());
        boolean needsDatabase = config.getDatabase().url.isBlank();
        boolean needsRedis = config.getRedis().url.isBlank();
        boolean needsKey = config.getEncryption().key.isBlank();
        if (!config.isDevelopment()) {
            if (needsKey) {
                throw new StartupFailure("ENCRYPTION_KEY is not set; it is required in the " + config.getEnvironment()
                        + " environment (generate one with: openssl rand -hex 32)");
            }
            if (needsDatabase) {
                throw new StartupFailure("DATABASE_URL is not set; it is required in the " + config.getEnvironment() + " environment");
            }
            if (needsRedis) {
                throw new StartupFailure("REDIS_URL is not set; it is required in the " + config.getEnvironment() + " environment");
            }
            return fallback;
        }
        if (config.getAdminAuth().token.isBlank()) {
            config.getAdminAuth().token = randomHex();
            loud("GATEKIT_ADMIN_TOKEN is not set: the admin port takes, for this run only, Authorization: Bearer "
                    + config.getAdminAuth().token);
        }
        try {
            Files.createDirectories(fallback.dataDirectory);
            if (needsKey) {
                config.getEncryption().key = fallback.developmentKey();
            }
            if (needsDatabase) {
                config.getDatabase().url = fallback.startPostgres();
            }
            if (needsRedis) {
                config.getRedis().url = fallback.startRedis();
            }
        } catch (IOException e) {
            fallback.stop();
            throw new StartupFailure("Cannot start the development fallback in " + fallback.dataDirectory + ": " + e.getMessage(), e);
        }
        return fallback;
    }

    private String developmentKey() throws IOException {
        Path keyFile = dataDirectory.resolve("encryption.key");
        if (!Files.exists(keyFile)) {
            Files.writeString(keyFile, randomHex() + "\n");
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        }
        loud("ENCRYPTION_KEY is not set: using the DEVELOPMENT key in " + keyFile
                + ". Set ENCRYPTION_KEY (openssl rand -hex 32) before storing real credentials.");
        return Files.readString(keyFile).trim();
    }

    private String startPostgres() throws IOException {
        Path directory = dataDirectory.resolve("postgres");
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setPort(freePort())
                .start();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        loud("DATABASE_URL is not set: started an EMBEDDED PostgreSQL for development at " + url + ", data in " + directory);
        return url;
    }

    private String startRedis() throws IOException {
        Path directory = dataDirectory.resolve("redis");
        Files.createDirectories(directory);
        int port = freePort();
        redis = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("dir " + directory)
                .setting("appendonly yes")
                .build();
        redis.start();
        String url = "redis://127.0.0.1:" + port;
        loud("REDIS_URL is not set: started an EMBEDDED Redis for development at " + url + ", data in " + directory);
        return url;
    }

    @Override
    public void start() {
        // Started in apply(), before the rest of the application is wired against them.
    }

    @Override
    public void stop() {
        try {
            if (redis != null) {
                redis.stop();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            LOG.warn("Could not stop an embedded development server cleanly: {}", e.toString());
        }
    }

    /** 32 random bytes as hex. */
    private static String randomHex() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void loud(String message) {
        LOG.warn("*** DEVELOPMENT MODE *** {}", message);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
