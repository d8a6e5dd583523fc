package dev.gatekit.plugin.discord;

import com.neovisionaries.ws.client.WebSocketFactory;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.PlatformContext;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.requests.CloseCode;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.requests.SequentialRestRateLimiter;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import net.dv8tion.jda.internal.utils.IOUtil;
import okhttp3.OkHttpClient;

/**
 * One JDA session of one configuration: logs in on a thread of its own (so opening a client never
 * waits on Discord), then holds the gateway connection, which JDA keeps up and resumes. Every send of
 * the configuration shares it. {@link #close()} shuts JDA and its HTTP client down and waits briefly
 * for their threads to end, so an unloaded plugin leaves no thread behind.
 */
final class DiscordSession implements AutoCloseable {

    /** How long {@link #close()} waits for the login thread and JDA's threads. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final DiscordSettings settings;
    private final PlatformContext context;
    private final EventListener gatewayEvents;
    private final CompletableFuture<JDA> loggedIn = new CompletableFuture<>();
    private final CompletableFuture<JDA> ready = new CompletableFuture<>();
    private final Thread login;
    private volatile JDA jda;
    private volatile RateLimitGuard rateLimits;
    private volatile CloseCode fatalCloseCode;
    private volatile boolean closed;

    private DiscordSession(DiscordSettings settings, PlatformContext context, EventListener gatewayEvents) {
        this.settings = settings;
        this.context = context;
        this.gatewayEvents = gatewayEvents;
        this.login = new Thread(this::login, "gatekit-discord-login-" + settings.configurationId());
        login.setDaemon(true);
    }

    /** Starts logging in, in the background. */
    static DiscordSession start(DiscordSettings settings, PlatformContext context, EventListener gatewayEvents) {
        DiscordSession session = new DiscordSession(settings, context, gatewayEvents);
        session.login.start();
        return session;
    }

    /** Completes once the token is accepted ({@code users/@me}); REST calls that need no cache may go then. */
    CompletableFuture<JDA> loggedIn() {
        return loggedIn;
    }

    /** Completes once the gateway is READY and the guilds (channels, threads) are in JDA's cache. */
    CompletableFuture<JDA> ready() {
        return ready;
    }

    /** The guard on JDA's rate limiter, once logged in. */
    RateLimitGuard rateLimits() {
        return rateLimits;
    }

    /** True when logging in failed for a reason a new attempt may get past (Discord unreachable, a 5xx). */
    boolean failedRetryably() {
        return loggedIn.isCompletedExceptionally() && !(loginFailure() instanceof InvalidTokenException);
    }

    /** Why Discord closed the gateway for good (a refused token, intents not allowed), or null. */
    CloseCode fatalCloseCode() {
        return fatalCloseCode;
    }

    private Throwable loginFailure() {
        try {
            loggedIn.getNow(null);
            return null;
        } catch (RuntimeException e) {
            return DiscordFailures.unwrap(e);
        }
    }

    private void login() {
        try {
            JDABuilder builder = JDABuilder.createLight(settings.botToken(), settings.intents())
                    .setRestConfig(new RestConfig()
                            .setBaseUrl(settings.restBaseUrl())
                            .setRateLimiterFactory(config -> rateLimits = new RateLimitGuard(new SequentialRestRateLimiter(config), context.clock())))
                    // The raw dispatch is stored with each inbound event, and interactions are read from it.
                    .setEventPassthrough(true)
                    .setEnableShutdownHook(false)
                    // REST and plain websockets connect through the host's address policy and follow no redirects.
                    .setHttpClientBuilder(IOUtil.newHttpClientBuilder()
                            .socketFactory(context.addressPolicy().socketFactory())
                            .followRedirects(false)
                            .followSslRedirects(false))
                    .setWebsocketFactory(new WebSocketFactory().setSocketFactory(context.addressPolicy().socketFactory()))
                    .addEventListeners(new Lifecycle(), gatewayEvents);
            if (settings.discoverGateway()) {
                String gateway = new DiscordBootstrapApi(context.httpClient(), settings).gatewayUrl();
                // The gateway URL comes from the answer of a user-set base URL; a wss socket takes no factory, so check it here.
                String gatewayHost = URI.create(gateway).getHost();
                if (gatewayHost == null) {
                    throw new IOException("gateway/bot answered a URL without a host");
                }
                context.addressPolicy().checkHost(gatewayHost);
                builder.setSessionController(new SessionControllerAdapter() {
                    @Override
                    public String getGateway() {
                        return gateway;
                    }
                }).setCompression(net.dv8tion.jda.api.utils.Compression.NONE);
            }
            JDA built = builder.build();
            jda = built;
            if (closed) {
                shutDown(built);
                loggedIn.completeExceptionally(new IOException("closed while logging in"));
                return;
            }
            loggedIn.complete(built);
        } catch (Throwable e) {
            if (!(e instanceof InvalidTokenException)) {
                context.logger().warn("Discord session of configuration {} could not log in: {}", settings.configurationId(),
                        DiscordFailures.describe(e));
            }
            loggedIn.completeExceptionally(e);
            ready.completeExceptionally(e);
        }
    }

    HealthStatus health() {
        if (closed) {
            return HealthStatus.down("closed");
        }
        CloseCode fatal = fatalCloseCode;
        if (fatal != null) {
            return HealthStatus.down("Discord closed the gateway: " + fatal.getCode() + " " + fatal.getMeaning());
        }
        if (!loggedIn.isDone()) {
            return HealthStatus.degraded("logging in");
        }
        Throwable failure = loginFailure();
        if (failure instanceof InvalidTokenException) {
            return HealthStatus.down("Discord refused the bot token");
        }
        if (failure != null) {
            return HealthStatus.degraded("cannot log in: " + DiscordFailures.describe(failure));
        }
        JDA.Status status = jda.getStatus();
        return status == JDA.Status.CONNECTED ? HealthStatus.up() : HealthStatus.degraded("gateway " + status.name().toLowerCase());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            login.join(SHUTDOWN_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        JDA current = jda;
        if (current != null) {
            shutDown(current);
        }
        ready.completeExceptionally(new IOException("closed"));
    }

    private static void shutDown(JDA session) {
        OkHttpClient http = session.getHttpClient();
        session.shutdownNow();
        try {
            session.awaitShutdown(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // JDA leaves the HTTP client it was given running; its dispatcher and pooled connections hold threads.
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Follows the session's state: ready, and closed by Discord for a reason reconnecting cannot fix. */
    private final class Lifecycle implements EventListener {
        @Override
        public void onEvent(GenericEvent event) {
            if (event instanceof ReadyEvent readyEvent) {
                ready.complete(readyEvent.getJDA());
            } else if (event instanceof ShutdownEvent shutdown && !closed) {
                CloseCode code = shutdown.getCloseCode();
                if (code != null && !code.isReconnect()) {
                    fatalCloseCode = code;
                    context.logger().warn("Discord closed the gateway of configuration {}: {} {}", settings.configurationId(),
                            code.getCode(), code.getMeaning());
                }
                ready.completeExceptionally(new IOException("the Discord session shut down"));
            }
        }
    }
}
