package dev.gatekit.app;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gatekit.core.admin.AdminTokenFilter;
import dev.gatekit.core.admin.TaskStatusFilter;
import dev.gatekit.core.auth.AuthenticationFeature;
import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.db.DatabaseOutage;
import dev.gatekit.core.db.StatementCounter;
import dev.gatekit.core.errors.ApiExceptionMapper;
import dev.gatekit.core.errors.ConstraintViolationMapper;
import dev.gatekit.core.errors.JsonErrorMapper;
import dev.gatekit.core.errors.UnexpectedErrorMapper;
import dev.gatekit.core.errors.WebApplicationErrorMapper;
import dev.gatekit.core.events.EventEndpointResource;
import dev.gatekit.core.health.DependencyCheck;
import dev.gatekit.core.health.DependencyHealthCheck;
import dev.gatekit.core.health.HealthResource;
import dev.gatekit.core.history.HistoryResource;
import dev.gatekit.core.http.BodySizeLimitFilter;
import dev.gatekit.core.http.ClientAddress;
import dev.gatekit.core.http.CorsFilter;
import dev.gatekit.core.http.NulCharacterGuard;
import dev.gatekit.core.keys.AdminKeyTasks;
import dev.gatekit.core.keys.ApiKeyResource;
import dev.gatekit.core.messages.MessageResource;
import dev.gatekit.core.platforms.PlatformConfigurationResource;
import dev.gatekit.core.platforms.PlatformDiscoveryResource;
import dev.gatekit.core.platforms.RotateEncryptionKeyTask;
import dev.gatekit.core.plugins.PluginHealthChecks;
import dev.gatekit.core.plugins.PluginTasks;
import dev.gatekit.core.projects.ProjectDao;
import dev.gatekit.core.projects.ProjectResource;
import dev.gatekit.core.queue.QueueTasks;
import dev.gatekit.core.ratelimit.RateLimitFeature;
import dev.gatekit.core.retention.PruneNowTask;
import dev.gatekit.core.usage.UsageRequestFilter;
import dev.gatekit.core.usage.UsageResource;
import dev.gatekit.core.webhooks.WebhookResource;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.PooledDataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.migrations.MigrationsBundle;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Properties;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** GateKit's Dropwizard application: reads the configuration, wires the context, registers it. */
public class GateKitApplication extends Application<GateKitConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(GateKitApplication.class);

    public static void main(String[] args) throws Exception {
        new GateKitApplication().run(args);
    }

    @Override
    public String getName() {
        return "gatekit";
    }

    @Override
    protected void addDefaultCommands(Bootstrap<GateKitConfiguration> bootstrap) {
        bootstrap.addCommand(new GateKitServerCommand(this));
        bootstrap.addCommand(new CheckCommand<>(this));
        bootstrap.addCommand(new WorkerCommand(this));
    }

    @Override
    public void initialize(Bootstrap<GateKitConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false, true)));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public PooledDataSourceFactory getDataSourceFactory(GateKitConfiguration config) {
                return Infrastructure.migrationDataSourceFactory(config);
            }

            @Override
            public String getMigrationsFileName() {
                return Infrastructure.CHANGELOG;
            }
        });
    }

    @Override
    public void run(GateKitConfiguration config, Environment environment) {
        DevelopmentFallback fallback = DevelopmentFallback.apply(config);
        environment.lifecycle().manage(fallback);
        if (config.getAdminAuth().token.isBlank()) {
            LOG.warn("{} is not set: the admin port refuses every request", AdminTokenFilter.TOKEN_VARIABLE);
        }
        environment.admin().addFilter("admin-token", new AdminTokenFilter(config.getAdminAuth().token))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        try {
            start(config, environment);
        } catch (RuntimeException e) {
            fallback.stop();
            throw e;
        }
    }

    private void start(GateKitConfiguration config, Environment environment) {
        configureJson(environment);
        StartupLog.register(environment, config);
        Infrastructure.prepareDatabase(config);
        Jdbi jdbi = new JdbiFactory().build(environment, Infrastructure.dataSourceFactory(config), "postgresql");
        jdbi.installPlugin(new PostgresPlugin());
        // Batched statements bind arrays of timestamps; ISO-8601 text carries the zone, whatever the session's.
        jdbi.registerArrayType(Instant.class, "timestamptz", instant -> instant == null ? null : instant.toString());
        jdbi.setSqlLogger(new StatementCounter(environment.metrics()));
        // Dropwizard's name-prepending engine renders every statement's template anew on every call;
        // JDBI's own engine parses each template once and caches it (measured: the top CPU cost under load).
        jdbi.setTemplateEngine(new DefinedAttributeTemplateEngine());
        DatabaseOutage databaseOutage = new DatabaseOutage();
        jdbi.getConfig(Handles.class).addListener(databaseOutage);
        RedissonClient redisson = Infrastructure.connectRedis(config);
        environment.lifecycle().manage(new RedissonLifecycle(redisson));

        GateKitContext context = new GateKitContext(config, jdbi, databaseOutage, redisson, Clock.systemUTC());

        ((AbstractServerFactory) config.getServerFactory()).setRegisterDefaultExceptionMappers(false);
        environment.servlets().addFilter("client-address", new ClientAddress())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        var jersey = environment.jersey();
        jersey.register(new ApiExceptionMapper());
        jersey.register(new JsonErrorMapper());
        jersey.register(new ConstraintViolationMapper());
        jersey.register(new WebApplicationErrorMapper());
        jersey.register(new UnexpectedErrorMapper(databaseOutage));
        jersey.register(new CorsFilter(config.getCors().originList()));
        jersey.register(new BodySizeLimitFilter(config.getHttp().maxBodyBytes));
        jersey.register(new NulCharacterGuard(environment.getObjectMapper().getFactory()));
        jersey.register(new AuthenticationFeature(context.authenticationFilter));
        jersey.register(new AuthValueFactoryProvider.Binder<>(Caller.class));
        jersey.register(new RateLimitFeature(context.rateBudgets, context.apiRateLimit, context.rateLimiter, context.throttles));

        jersey.register(new HealthResource(context.dependencyChecks, version(), config.getEnvironment(), context.clock));
        jersey.register(new ProjectResource(context.projectService, context.apiKeyService, context.clock));
        jersey.register(new ApiKeyResource(context.projectService, context.apiKeyService, context.clock));

        for (DependencyCheck check : context.dependencyChecks) {
            environment.healthChecks().register(check.name(), new DependencyHealthCheck(check));
        }
        environment.admin().addFilter("task-status", new TaskStatusFilter(databaseOutage))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/tasks/*");
        AdminKeyTasks.all(context.apiKeyService, context.clock).forEach(environment.admin()::addTask);

        jersey.register(new PlatformDiscoveryResource(context.platformRegistry, context.platformClients,
                context.platformConfigurationService));
        jersey.register(new PlatformConfigurationResource(context.projectService, context.platformConfigurationService));
        context.platformRegistry.addListener(new PluginHealthChecks(environment.healthChecks(), context.platformRegistry));
        // Before the watcher: stopped after it, so no connection is opened while plugins unload, and
        // events that wait for Postgres are stored (or counted as lost) once no plugin publishes any more.
        environment.lifecycle().manage(context.connectionEvents);
        environment.lifecycle().manage(context.heldConnections);
        environment.lifecycle().manage(context.pluginWatcher);
        PluginTasks.all(context.pluginHost).forEach(environment.admin()::addTask);
        environment.admin().addTask(new RotateEncryptionKeyTask(context.platformConfigurationService));

        jersey.register(new MessageResource(context.projectService, context.messageService, environment.getObjectMapper()));
        environment.lifecycle().manage(context.messageService.writer());
        environment.lifecycle().manage(context.queueSweeper);
        environment.lifecycle().manage(context.deliveryWorkers);
        QueueTasks.all(context.deliveryPauses, context.deliveryWorkers, context.messageService, jdbi.onDemand(ProjectDao.class),
                        context.platformRegistry)
                .forEach(environment.admin()::addTask);

        jersey.register(new WebhookResource(context.webhookService, context.clock));
        jersey.register(new HistoryResource(context.projectService, context.historyService));
        jersey.register(new EventEndpointResource(context.projectService, context.eventEndpointService));
        jersey.register(new UsageResource(context.projectService, context.usageService));
        jersey.register(new UsageRequestFilter(context.usageRecorder, context.projectService));
        environment.lifecycle().manage(context.usageRecorder);
        environment.lifecycle().manage(context.eventDispatcher);
        environment.lifecycle().manage(context.retentionJob);
        environment.admin().addTask(new PruneNowTask(context.retentionPruner));
    }

    private static void configureJson(Environment environment) {
        environment.getObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    static String version() {
        try (InputStream in = GateKitApplication.class.getResourceAsStream("/gatekit.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
