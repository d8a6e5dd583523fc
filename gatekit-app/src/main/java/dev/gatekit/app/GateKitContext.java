package dev.gatekit.app;

import dev.gatekit.core.auth.ApiKeyAuthenticator;
import dev.gatekit.core.auth.AuthenticationFilter;
import dev.gatekit.core.auth.JwtAuthenticator;
import dev.gatekit.core.auth.JwtSettings;
import dev.gatekit.core.crypto.CredentialCipher;
import dev.gatekit.core.crypto.EncryptionKey;
import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.events.EventDispatcher;
import dev.gatekit.core.events.EventEndpointService;
import dev.gatekit.core.events.EventMessageListener;
import dev.gatekit.core.events.EventPublisher;
import dev.gatekit.core.events.EventSettings;
import dev.gatekit.core.health.DependencyCheck;
import dev.gatekit.core.health.PostgresCheck;
import dev.gatekit.core.health.RedisCheck;
import dev.gatekit.core.history.HistoryService;
import dev.gatekit.core.http.HostAddressPolicy;
import dev.gatekit.core.keys.ApiKeyDao;
import dev.gatekit.core.keys.ApiKeyResource;
import dev.gatekit.core.keys.ApiKeyService;
import dev.gatekit.core.messages.MessageListeners;
import dev.gatekit.core.messages.MessageService;
import dev.gatekit.core.messages.MessageStore;
import dev.gatekit.core.platforms.HeldConnections;
import dev.gatekit.core.platforms.PlatformClients;
import dev.gatekit.core.platforms.PlatformConfigurationService;
import dev.gatekit.core.platforms.PlatformContexts;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.core.plugins.PluginDirectoryWatcher;
import dev.gatekit.core.plugins.PluginHost;
import dev.gatekit.core.projects.ProjectService;
import dev.gatekit.core.queue.DeliveryLimiter;
import dev.gatekit.core.queue.DeliveryPauses;
import dev.gatekit.core.queue.DeliveryWorkers;
import dev.gatekit.core.queue.DispatchQueue;
import dev.gatekit.core.queue.QueueSettings;
import dev.gatekit.core.queue.QueueSweeper;
import dev.gatekit.core.ratelimit.RateBudgets;
import dev.gatekit.core.ratelimit.RedisRateLimiter;
import dev.gatekit.core.redis.InvalidationBus;
import dev.gatekit.core.redis.RedisBreaker;
import dev.gatekit.core.retention.RetentionJob;
import dev.gatekit.core.retention.RetentionPruner;
import dev.gatekit.core.retention.RetentionSettings;
import dev.gatekit.core.usage.UsageMessageListener;
import dev.gatekit.core.usage.UsageRecorder;
import dev.gatekit.core.usage.UsageService;
import dev.gatekit.core.webhooks.ConnectionEvents;
import dev.gatekit.core.webhooks.InboundStore;
import dev.gatekit.core.webhooks.WebhookService;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/**
 * The object graph, built in one place: DAOs, then services, then what the HTTP layer needs.
 * The application only registers what this built; no business class sees Dropwizard's Environment.
 */
final class GateKitContext {

    /** After a Redis call fails, Redis is not called again for this long (see RedisBreaker). */
    private static final Duration REDIS_BREAKER_OPEN = Duration.ofSeconds(2);

    final Clock clock;
    final CredentialCipher credentialCipher;
    final ApiKeyAuthenticator apiKeyAuthenticator;
    final InvalidationBus invalidations;
    final ProjectService projectService;
    final ApiKeyService apiKeyService;
    final AuthenticationFilter authenticationFilter;
    final RedisRateLimiter rateLimiter;
    final RateBudgets rateBudgets;
    final RateBudgets.Limit apiRateLimit;
    final Map<String, RateBudgets.Limit> throttles;
    final List<DependencyCheck> dependencyChecks;
    final PlatformRegistry platformRegistry;
    final PlatformClients platformClients;
    final PluginHost pluginHost;
    final PluginDirectoryWatcher pluginWatcher;
    final HeldConnections heldConnections;
    final PlatformContexts platformContexts;
    final PlatformConfigurationService platformConfigurationService;
    final DispatchQueue dispatchQueue;
    final DeliveryPauses deliveryPauses;
    final MessageListeners messageListeners = new MessageListeners();
    final MessageService messageService;
    final DeliveryWorkers deliveryWorkers;
    final QueueSweeper queueSweeper;
    final UsageRecorder usageRecorder;
    final UsageService usageService;
    final EventPublisher eventPublisher;
    final EventEndpointService eventEndpointService;
    final EventDispatcher eventDispatcher;
    final InboundStore inboundStore;
    final WebhookService webhookService;
    final ConnectionEvents connectionEvents;
    final HistoryService historyService;
    final RetentionPruner retentionPruner;
    final RetentionJob retentionJob;

    GateKitContext(GateKitConfiguration config, Jdbi jdbi, DatabaseOutage outage, RedissonClient redisson, Clock clock) {
        this.clock = clock;
        this.credentialCipher = credentialCipher(config);
        String prefix = config.getRedis().keyPrefix;

        apiKeyAuthenticator = new ApiKeyAuthenticator(jdbi.onDemand(ApiKeyDao.class), clock,
                Duration.ofSeconds(config.getAuth().keyCacheSeconds));
        invalidations = new InvalidationBus(redisson, prefix);
        invalidations.subscribe(InvalidationBus.Topic.API_KEY, apiKeyAuthenticator::forget);
        projectService = new ProjectService(jdbi, invalidations, clock);
        apiKeyService = new ApiKeyService(jdbi, invalidations, clock);
        RedisBreaker redisBreaker = new RedisBreaker(clock, REDIS_BREAKER_OPEN);
        Duration rateWindow = Duration.ofSeconds(config.getRateLimit().ttlSeconds);
        rateLimiter = new RedisRateLimiter(redisson, redisBreaker, prefix, config.getRateLimit().max, rateWindow);
        rateBudgets = new RateBudgets(rateLimiter, clock);
        apiRateLimit = new RateBudgets.Limit(config.getRateLimit().max, rateWindow);
        throttles = Map.of(
                ApiKeyResource.KEY_CREATE_THROTTLE, new RateBudgets.Limit(config.getRateLimit().keyCreatePerMinute, Duration.ofMinutes(1)),
                ApiKeyResource.KEY_ROLL_THROTTLE, new RateBudgets.Limit(config.getRateLimit().keyRollPerMinute, Duration.ofMinutes(1)));
        authenticationFilter = new AuthenticationFilter(apiKeyAuthenticator, jwtAuthenticator(config), rateLimiter);
        dependencyChecks = List.of(new PostgresCheck(jdbi), new RedisCheck(redisson, prefix));

        platformRegistry = new PlatformRegistry();
        platformClients = new PlatformClients();
        platformRegistry.addListener(platformClients);
        GateKitConfiguration.PluginSettings plugins = config.getPlugins();
        pluginHost = new PluginHost(plugins.directoryPath(), platformRegistry, Duration.ofSeconds(plugins.drainTimeoutSeconds));
        pluginWatcher = new PluginDirectoryWatcher(pluginHost, Duration.ofMillis(plugins.pollIntervalMillis));
        platformContexts = new PlatformContexts(publicBaseUrl(config), clock, new HostAddressPolicy(plugins.allowPrivateAddresses));
        platformConfigurationService = new PlatformConfigurationService(jdbi, credentialCipher, platformRegistry, platformContexts,
                platformClients, invalidations, clock, plugins.allowPrivateAddresses);
        heldConnections = new HeldConnections(platformRegistry, platformConfigurationService, platformClients, platformContexts, outage);
        platformRegistry.addListener(heldConnections);

        QueueSettings queueSettings = config.getQueue().toSettings();
        MessageStore messageStore = new MessageStore(jdbi, messageListeners, clock);
        dispatchQueue = new DispatchQueue(redisson, redisBreaker, prefix, clock);
        deliveryPauses = new DeliveryPauses(jdbi, dispatchQueue, clock);
        messageService = new MessageService(messageStore, platformConfigurationService, platformRegistry, dispatchQueue,
                messageListeners, clock, queueSettings.acceptWriters());
        deliveryWorkers = new DeliveryWorkers(queueSettings, dispatchQueue, messageStore, platformRegistry, platformConfigurationService,
                platformClients, platformContexts, new DeliveryLimiter(rateBudgets), clock, outage);
        queueSweeper = new QueueSweeper(queueSettings, dispatchQueue, deliveryPauses, messageStore, platformRegistry, clock,
                deliveryWorkers.owner(), outage);
        platformConfigurationService.setSavedListener(saved -> {
            heldConnections.configurationSaved(saved);
            queueSweeper.configurationSaved(saved);
        });

        usageRecorder = new UsageRecorder(jdbi, clock, Duration.ofMillis(config.getUsage().flushIntervalMillis), outage);
        usageService = new UsageService(jdbi, clock);
        messageListeners.add(new UsageMessageListener(usageRecorder));
        EventSettings eventSettings = config.getEvents().toSettings();
        // A queue of its own under its own prefix: event deliveries never wait behind messages, nor the reverse.
        DispatchQueue eventQueue = new DispatchQueue(redisson, redisBreaker, prefix + "events:", clock);
        eventPublisher = new EventPublisher(jdbi, eventQueue, invalidations, clock);
        eventEndpointService = new EventEndpointService(jdbi, credentialCipher, eventQueue, invalidations, eventSettings, clock);
        eventDispatcher = new EventDispatcher(eventSettings, eventQueue, jdbi, credentialCipher,
                platformContexts.httpClientWith(new HostAddressPolicy(eventSettings.allowPrivateEndpoints())), clock,
                GateKitApplication.version(), outage);
        messageListeners.add(new EventMessageListener(eventPublisher));
        inboundStore = new InboundStore(jdbi, eventPublisher, usageRecorder, clock);
        webhookService = new WebhookService(platformConfigurationService, platformRegistry, platformClients, platformContexts,
                inboundStore, credentialCipher);
        connectionEvents = new ConnectionEvents(webhookService::publishFromConnection, outage);
        platformContexts.setConfigurationInboundSink(connectionEvents);
        historyService = new HistoryService(jdbi);
        RetentionSettings retention = config.getRetention().toSettings();
        retentionPruner = new RetentionPruner(jdbi, retention, clock);
        retentionJob = new RetentionJob(retentionPruner, retention, clock, outage);
    }

    private static URI publicBaseUrl(GateKitConfiguration config) {
        try {
            URI uri = URI.create(config.getPublicBaseUrl().trim());
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException("not absolute");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new StartupFailure("PUBLIC_BASE_URL must be an absolute http(s) URL such as https://gatekit.example.com: "
                    + config.getPublicBaseUrl());
        }
    }

    private static CredentialCipher credentialCipher(GateKitConfiguration config) {
        try {
            EncryptionKey current = EncryptionKey.fromSecret(config.getEncryption().key);
            List<EncryptionKey> previous = config.getEncryption().previousKeyList().stream().map(EncryptionKey::fromSecret).toList();
            return new CredentialCipher(current, previous);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(e.getMessage());
        }
    }

    private static JwtAuthenticator jwtAuthenticator(GateKitConfiguration config) {
        try {
            return JwtSettings.fromAuth0(config.getAuth().auth0Domain, config.getAuth().auth0Audience)
                    .map(JwtAuthenticator::forIssuer)
                    .orElseGet(JwtAuthenticator::disabled);
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(e.getMessage());
        }
    }
}
