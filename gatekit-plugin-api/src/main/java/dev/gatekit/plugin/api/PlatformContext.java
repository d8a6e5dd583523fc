package dev.gatekit.plugin.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The host services a client may use, one context per platform configuration. The host implements
 * this interface; a plugin only calls it (the testkit ships an implementation for tests).
 */
public interface PlatformContext {

    /**
     * The public URL at which the platform must call this configuration's webhook, for example
     * to register it with the platform when the client opens.
     *
     * @return the absolute webhook URL
     */
    URI webhookUrl();

    /**
     * A base URL to use instead of the platform's public API, set for tests (a fake platform
     * server) and for self-hosted platform servers. A plugin that calls an HTTP API must honour
     * it when present.
     *
     * @return the override, or empty to use the platform's public API
     */
    Optional<URI> apiBaseUrl();

    /**
     * Where to publish events that arrive over a connection the plugin holds (a websocket
     * gateway, long polling) rather than over the webhook.
     *
     * @return the sink, never null
     */
    InboundSink inboundSink();

    /**
     * A logger named after the plugin and configuration. Never log credentials.
     *
     * @return the logger
     */
    Logger logger();

    /**
     * The clock to read the time from, so that tests can control it (signature replay windows,
     * timestamps in payloads).
     *
     * @return the host's clock
     */
    Clock clock();

    /**
     * The host's shared HTTP client. Prefer it to creating one: it is already configured
     * (proxy, connect timeout) and needs no shutdown. Set a per-request timeout on each request.
     *
     * @return the shared client
     */
    HttpClient httpClient();

    /**
     * The host's outbound address policy. {@link #httpClient()} already applies it; give its
     * {@link AddressPolicy#socketFactory()} to any HTTP or websocket client the plugin builds itself,
     * with redirects off, so that a user's URL cannot reach the gateway's own network.
     *
     * @return the policy; hosts before plugin API 1.3.0 permit every address
     * @since 1.3.0
     */
    default AddressPolicy addressPolicy() {
        return AddressPolicy.permitAll();
    }
}
