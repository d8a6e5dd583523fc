package dev.gatekit.core.platforms;

import dev.gatekit.plugin.api.AddressPolicy;
import dev.gatekit.plugin.api.InboundSink;
import dev.gatekit.plugin.api.PlatformContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;

/** The host's {@link PlatformContext} for one configuration; built by {@link PlatformContexts}. */
record HostPlatformContext(URI webhookUrl, Optional<URI> apiBaseUrl, InboundSink inboundSink, Logger logger, Clock clock,
                           HttpClient httpClient, AddressPolicy addressPolicy) implements PlatformContext {
}
