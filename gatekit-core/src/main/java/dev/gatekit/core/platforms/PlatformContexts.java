package dev.gatekit.core.platforms;

import dev.gatekit.core.http.HostAddressPolicy;
import dev.gatekit.core.http.PolicedHttpClient;
import dev.gatekit.core.threads.DaemonThreads;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InboundSink;
import dev.gatekit.plugin.api.PlatformContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link PlatformContext} each configuration's client gets: its webhook URL under the
 * public base URL, the {@code apiBaseUrl} setting as the API base override, a logger named after
 * the platform and configuration, the one clock, the outbound address policy and the one shared
 * HTTP client, which applies that policy and follows no redirects.
 */
public final class PlatformContexts {

    /** The setting every configuration may carry, whatever its platform: a base URL override for the platform's API. */
    public static final String API_BASE_URL_SETTING = "apiBaseUrl";

    private static final Logger INBOUND_LOG = LoggerFactory.getLogger("dev.gatekit.core.platforms.inbound");

    private final String publicBaseUrl;
    private final HttpClient jdkClient;
    private final HttpClient httpClient;
    private final HostAddressPolicy addressPolicy;
    private final Clock clock;
    private volatile InboundSink inboundSink = event ->
            // Until inbound processing exists, events from held connections are only counted in the log.
            INBOUND_LOG.info("Inbound {} event {} received; no inbound processing is installed yet",
                    event.getClass().getSimpleName(), event.eventId());

    /**
     * Where the shared client completes its exchanges. Without one, the JDK uses the common pool,
     * and where that has a single thread (a 2-core machine) it starts a new thread per exchange.
     */
    private static final java.util.concurrent.Executor HTTP_CALLBACKS = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), DaemonThreads.numbered("gatekit-http"));

    public PlatformContexts(URI publicBaseUrl, Clock clock, HostAddressPolicy addressPolicy) {
        String base = publicBaseUrl.toString();
        this.publicBaseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.clock = clock;
        this.addressPolicy = addressPolicy;
        this.jdkClient = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(HTTP_CALLBACKS)
                .build();
        this.httpClient = new PolicedHttpClient(jdkClient, addressPolicy);
    }

    /** The same connections and threads under another policy (event endpoints have a setting of their own). */
    public HttpClient httpClientWith(HostAddressPolicy policy) {
        return new PolicedHttpClient(jdkClient, policy);
    }

    /** Replaces the placeholder sink (inbound processing installs its own). */
    public void setInboundSink(InboundSink sink) {
        this.inboundSink = sink;
    }

    /** Receives events from held connections together with the configuration whose client published them. */
    @FunctionalInterface
    public interface ConfigurationInboundSink {
        void publish(UUID configurationId, InboundEvent event);
    }

    private volatile ConfigurationInboundSink configurationSink;

    /** Routes every configuration's events, with its id, here instead of the plain sink (inbound storage needs the id). */
    public void setConfigurationInboundSink(ConfigurationInboundSink sink) {
        this.configurationSink = sink;
    }

    public HttpClient httpClient() {
        return httpClient;
    }

    public Clock clock() {
        return clock;
    }

    /** {@code <publicBaseUrl>/webhooks/<platform>/<token>}. */
    public URI webhookUrl(String platform, UUID token) {
        return URI.create(publicBaseUrl + "/webhooks/" + platform + "/" + token);
    }

    public PlatformContext forConfiguration(StoredPlatformConfiguration configuration) {
        return forConfiguration(configuration.id(), configuration.platform(), configuration.webhookToken(), configuration.settings()
                .get(API_BASE_URL_SETTING));
    }

    PlatformContext forConfiguration(UUID id, String platform, UUID webhookToken, String apiBaseUrl) {
        Optional<URI> apiBase = Optional.ofNullable(apiBaseUrl).filter(s -> !s.isBlank()).map(URI::create);
        Logger logger = LoggerFactory.getLogger("dev.gatekit.platform." + platform + "." + id);
        InboundSink sink = event -> {
            ConfigurationInboundSink routed = configurationSink;
            if (routed != null) {
                routed.publish(id, event);
            } else {
                inboundSink.publish(event);
            }
        };
        return new HostPlatformContext(webhookUrl(platform, webhookToken), apiBase, sink, logger, clock, httpClient, addressPolicy);
    }
}
