package dev.gatekit.app;


import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gatekit.core.events.EventSettings;
import dev.gatekit.core.queue.QueueSettings;
import dev.gatekit.core.queue.RetryPolicy;
import dev.gatekit.core.retention.RetentionSettings;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

/**
 * Everything GateKit reads from {@code config.yml}, one nested class per feature. Each value in
 * the shipped {@code config.yml} is overridable from the environment ({@code ${DATABASE_URL}}…).
 */
public class GateKitConfiguration extends Configuration {

    /** development, staging, production or test. Only development may fall back to embedded servers and a generated key. */
    @NotNull
    @Pattern(regexp = "development|staging|production|test")
    @JsonProperty
    private String environment = "development";

    @Valid @NotNull @JsonProperty
    private DatabaseSettings database = new DatabaseSettings();

    @Valid @NotNull @JsonProperty
    private RedisSettings redis = new RedisSettings();

    @Valid @NotNull @JsonProperty
    private EncryptionSettings encryption = new EncryptionSettings();

    @Valid @NotNull @JsonProperty
    private AuthSettings auth = new AuthSettings();

    @Valid @NotNull @JsonProperty
    private AdminAuthSettings adminAuth = new AdminAuthSettings();

    @Valid @NotNull @JsonProperty
    private RateLimitSettings rateLimit = new RateLimitSettings();

    @Valid @NotNull @JsonProperty
    private CorsSettings cors = new CorsSettings();

    @Valid @NotNull @JsonProperty
    private HttpSettings http = new HttpSettings();

    @Valid @NotNull @JsonProperty
    private EmbeddedSettings embedded = new EmbeddedSettings();

    @Valid @NotNull @JsonProperty
    private PluginSettings plugins = new PluginSettings();

    @Valid @NotNull @JsonProperty
    private QueueConfig queue = new QueueConfig();

    @Valid @NotNull @JsonProperty
    private EventsConfig events = new EventsConfig();

    @Valid @NotNull @JsonProperty
    private UsageConfig usage = new UsageConfig();

    @Valid @NotNull @JsonProperty
    private RetentionConfig retention = new RetentionConfig();

    /** The URL platforms reach this server at; webhook URLs are built under it. Top level: Dropwizard owns {@code server}. */
    @NotNull @JsonProperty
    private String publicBaseUrl = "http://localhost:3000";

    public String getEnvironment() {
        return environment;
    }

    public boolean isDevelopment() {
        return "development".equals(environment);
    }

    public DatabaseSettings getDatabase() {
        return database;
    }

    public RedisSettings getRedis() {
        return redis;
    }

    public EncryptionSettings getEncryption() {
        return encryption;
    }

    public AdminAuthSettings getAdminAuth() {
        return adminAuth;
    }

    public AuthSettings getAuth() {
        return auth;
    }

    public RateLimitSettings getRateLimit() {
        return rateLimit;
    }

    public CorsSettings getCors() {
        return cors;
    }

    public HttpSettings getHttp() {
        return http;
    }

    public EmbeddedSettings getEmbedded() {
        return embedded;
    }

    public PluginSettings getPlugins() {
        return plugins;
    }

    public QueueConfig getQueue() {
        return queue;
    }

    public EventsConfig getEvents() {
        return events;
    }

    public UsageConfig getUsage() {
        return usage;
    }

    public RetentionConfig getRetention() {
        return retention;
    }

    public String getPublicBaseUrl() {
        return publicBaseUrl;
    }

    public static class DatabaseSettings {
        /** {@code postgresql://user:pass@host:5432/db} (the original's form) or a JDBC URL; empty means embedded in development. */
        @JsonProperty public String url = "";
        /** Run Liquibase migrations at start-up; operators who migrate apart ({@code db migrate}) turn it off. */
        @JsonProperty public boolean migrateOnStart = true;
        @Min(1) @Max(500) @JsonProperty public int maxConnections = 16;
    }

    public static class RedisSettings {
        /** {@code redis://[:password@]host:port[/db]} or {@code rediss://…}; empty means embedded in development. */
        @JsonProperty public String url = "";
        /** Every key GateKit writes starts with this, so several deployments (or test runs) can share one Redis. */
        @NotNull @JsonProperty public String keyPrefix = "gatekit:";
    }

    public static class EncryptionSettings {
        /** At least 32 characters; 64 hex characters are used as the AES-256 key itself. */
        @JsonProperty public String key = "";
        /** Comma-separated older keys, kept only to decrypt during a rotation. */
        @JsonProperty public String previousKeys = "";

        public List<String> previousKeyList() {
            return splitCommas(previousKeys);
        }
    }

    public static class AdminAuthSettings {
        /** The bearer token the admin port requires; generated per start in development, and without one the port is locked. */
        @JsonProperty public String token = "";
    }

    public static class AuthSettings {
        @JsonProperty public String auth0Domain = "";
        @JsonProperty public String auth0Audience = "";
        /** How long a key lookup is cached; revocations evict at once regardless. */
        @Min(0) @Max(3600) @JsonProperty public int keyCacheSeconds = 30;
    }

    public static class RateLimitSettings {
        @Min(1) @JsonProperty public int max = 100;
        @Min(1) @JsonProperty public int ttlSeconds = 60;
        /** Key creations per caller per minute (the original's stricter throttle). */
        @Min(1) @JsonProperty public int keyCreatePerMinute = 5;
        /** Key rolls per caller per minute (the original's stricter throttle). */
        @Min(1) @JsonProperty public int keyRollPerMinute = 3;
    }

    public static class CorsSettings {
        /** Comma-separated allowed origins; empty allows none, {@code *} allows any. */
        @JsonProperty public String origins = "";

        public List<String> originList() {
            return splitCommas(origins);
        }
    }

    public static class HttpSettings {
        @Min(1024) @JsonProperty public long maxBodyBytes = 1_048_576;
    }

    public static class EmbeddedSettings {
        /** Where the development fallback keeps its Postgres data, Redis data and generated key. */
        @NotNull @JsonProperty public String dataDirectory = ".gatekit";
    }

    public static class PluginSettings {
        /**
         * Where plugin jars are loaded from and watched, relative to the working directory; blank means
         * {@code plugins/} beside the application jar, where the build puts the plugins it builds.
         */
        @NotNull @JsonProperty public String directory = "";
        /** The folder {@link #directory} names, or when blank the {@code plugins} folder beside the application jar. */
        public Path directoryPath() {
            if (!directory.isBlank()) {
                return Path.of(directory);
            }
            try {
                // The jar (gatekit-app/target/gatekit-app.jar, /app/gatekit-app.jar), or target/classes when run from a build.
                Path application = Path.of(GateKitConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                return application.getParent().resolve("plugins");
            } catch (URISyntaxException | RuntimeException e) {
                return Path.of("plugins");
            }
        }

        /** How often the directory is polled for added, replaced and removed jars. */
        @Min(100) @Max(60_000) @JsonProperty public int pollIntervalMillis = 1000;
        /** How long an unload waits for in-flight calls into the plugin before it goes ahead. */
        @Min(0) @Max(600) @JsonProperty public int drainTimeoutSeconds = 30;
        /** Whether a platform's URLs (a webhook url, an apiBaseUrl) may point at loopback or private addresses. */
        @JsonProperty public boolean allowPrivateAddresses = false;
    }

    public static class QueueConfig {
        /** Threads for plugins that send blocking; 0 leaves delivery to separate {@code worker} processes. */
        @Min(0) @Max(1024) @JsonProperty public int workers = 16;
        /**
         * Attempts per target before a retryable failure becomes final; with the delays below they span
         * 1.5 to 3 hours, so a receiver down for an hour loses nothing.
         */
        @Min(1) @Max(100) @JsonProperty public int maxAttempts = 15;
        @Min(10) @JsonProperty public long baseRetryDelayMillis = 1_000;
        @Min(1) @JsonProperty public long maxRetryDelaySeconds = 3_600;
        /** How long a process holds a target; one that dies mid-send gives it up when this runs out. */
        @Min(1) @Max(3600) @JsonProperty public int leaseSeconds = 60;
        @Min(100) @JsonProperty public long sweepIntervalMillis = 5_000;
        /** How long a process may miss its heartbeat before the others put back what it may have held. */
        @Min(1) @JsonProperty public int instanceSilenceSeconds = 15;
        /** How long an asynchronous plugin's send may take before it counts as a retryable failure. */
        @Min(1) @Max(3600) @JsonProperty public int sendTimeoutSeconds = 60;
        /** Sends in flight in this process, in all, per platform configuration, and per project. */
        @Min(1) @JsonProperty public int maxInFlight = 2_048;
        @Min(1) @JsonProperty public int maxInFlightPerConfiguration = 64;
        @Min(1) @JsonProperty public int maxInFlightPerProject = 256;
        /** Threads committing accepted messages; each commit carries every request waiting for it. */
        @Min(1) @Max(16) @JsonProperty public int acceptWriters = 2;

        public QueueSettings toSettings() {
            return new QueueSettings(workers, new RetryPolicy(maxAttempts, Duration.ofMillis(baseRetryDelayMillis),
                    Duration.ofSeconds(maxRetryDelaySeconds)), Duration.ofSeconds(leaseSeconds),
                    Duration.ofMillis(sweepIntervalMillis), Duration.ofSeconds(instanceSilenceSeconds),
                    Duration.ofSeconds(sendTimeoutSeconds), maxInFlight, maxInFlightPerConfiguration, maxInFlightPerProject,
                    acceptWriters);
        }
    }

    public static class EventsConfig {
        /** Threads sending events to projects' endpoints in this process; 0 leaves it to other processes. */
        @Min(0) @Max(64) @JsonProperty public int workers = 2;
        /** Attempts per delivery before it is marked failed (it can still be redelivered). */
        @Min(1) @Max(100) @JsonProperty public int maxAttempts = 15;
        @Min(10) @JsonProperty public long baseRetryDelayMillis = 2_000;
        @Min(1) @JsonProperty public long maxRetryDelaySeconds = 3_600;
        @Min(1) @Max(3600) @JsonProperty public int leaseSeconds = 60;
        /** How long an endpoint has to answer. */
        @Min(1) @Max(120) @JsonProperty public int timeoutSeconds = 10;
        @Min(100) @JsonProperty public long sweepIntervalMillis = 5_000;
        @Min(1) @JsonProperty public int staleAfterSeconds = 15;
        /** Whether endpoints may point at loopback and private addresses (off: no SSRF into the gateway's network). */
        @JsonProperty public boolean allowPrivateEndpoints = false;

        public EventSettings toSettings() {
            return new EventSettings(workers, new RetryPolicy(maxAttempts, Duration.ofMillis(baseRetryDelayMillis),
                    Duration.ofSeconds(maxRetryDelaySeconds)), Duration.ofSeconds(leaseSeconds), Duration.ofSeconds(timeoutSeconds),
                    Duration.ofMillis(sweepIntervalMillis), Duration.ofSeconds(staleAfterSeconds), allowPrivateEndpoints);
        }
    }

    public static class UsageConfig {
        /** How often counted usage is written to Postgres; what is not yet written is lost if the process dies. */
        @Min(100) @Max(60_000) @JsonProperty public long flushIntervalMillis = 1_000;
    }

    public static class RetentionConfig {
        /** Days message content (outbound and inbound, and the events about it) is kept; 0 keeps it forever. */
        @Min(0) @JsonProperty public int messageBodyDays = 30;
        /** Days platforms' raw inbound payloads are kept; 0 keeps them forever. */
        @Min(0) @JsonProperty public int rawPayloadDays = 7;
        @Min(1) @Max(100_000) @JsonProperty public int batchSize = 1_000;
        /** UTC time of day the daily prune runs, HH:MM. */
        @NotNull @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]") @JsonProperty public String runAt = "03:30";
        @Min(0) @Max(60_000) @JsonProperty public long pauseMillis = 100;

        public RetentionSettings toSettings() {
            return new RetentionSettings(messageBodyDays, rawPayloadDays, batchSize, LocalTime.parse(runAt), Duration.ofMillis(pauseMillis));
        }
    }

    static List<String> splitCommas(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
