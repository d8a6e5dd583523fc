package dev.gatekit.app;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private static final Duration STALE_SERVER_STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path dataDirectory;
    private FileChannel lockChannel;
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
        if (!needsKey && !needsDatabase && !needsRedis) {
            return fallback;
        }
        try {
            Files.createDirectories(fallback.dataDirectory);
            fallback.lockDataDirectory();
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

    /**
     * Holds {@code instance.lock} in the data folder while this process runs, so a second start on
     * the same folder is told in one line instead of failing deep inside Postgres. The lock goes
     * with the process, however it ends (kill -9 included), so a stale file never blocks a start.
     */
    private void lockDataDirectory() throws IOException {
        Path lockFile = dataDirectory.resolve("instance.lock");
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM (another application instance in it)
        }
        if (lock == null) {
            String holder = Files.readString(lockFile).trim();
            lockChannel.close();
            throw new StartupFailure("Another GateKit (pid " + (holder.isEmpty() ? "unknown" : holder)
                    + ") is running in development mode on " + dataDirectory + "; stop it first, or give this one its own folder"
                    + " with GATEKIT_DATA_DIR (or set DATABASE_URL and REDIS_URL)");
        }
        lockChannel.truncate(0);
        lockChannel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    }

    /**
     * Stops an embedded server a previous run left behind: a GateKit killed with kill -9 never
     * stops the Postgres and Redis it started, and they keep the data folder. Its pid file says which
     * process; it is stopped only if it still runs the expected program.
     */
    private static void stopStale(Path pidFile, String program) {
        Optional<ProcessHandle> stale = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains(program)).orElse(false));
        if (stale.isEmpty()) {
            return;
        }
        ProcessHandle process = stale.get();
        loud("found the embedded " + program + " (pid " + process.pid() + ") of a run that did not shut down (killed?); stopping it");
        process.destroy();
        try {
            process.onExit().get(STALE_SERVER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupFailure("Interrupted while stopping a stale embedded " + program + " (pid " + process.pid() + ")");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return first.matches("\\d+") ? Optional.of(Long.parseLong(first)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String startPostgres() throws IOException {
        Path directory = dataDirectory.resolve("postgres");
        stopStale(directory.resolve("postmaster.pid"), "postgres");
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
        Path pidFile = directory.resolve("redis.pid");
        stopStale(pidFile, "redis");
        int port = freePort();
        redis = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("dir " + directory)
                .setting("appendonly yes")
                .setting("pidfile " + pidFile)
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
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() {
        if (lockChannel == null) {
            return;
        }
        try {
            lockChannel.close(); // and with it the lock
        } catch (IOException e) {
            LOG.warn("Could not release {}: {}", dataDirectory.resolve("instance.lock"), e.toString());
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
