package dev.gatekit.plugin.testkit;

import dev.gatekit.plugin.api.AddressPolicy;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InboundSink;
import dev.gatekit.plugin.api.PlatformContext;
import dev.gatekit.plugin.api.RefusedAddressException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PlatformContext} for plugin tests: points the plugin at a fake platform server, lets the
 * test choose the clock, and records every event the plugin publishes to its
 * {@link #inboundSink()}.
 */
public final class TestPlatformContext implements PlatformContext {

    private static final HttpClient SHARED_CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI webhookUrl;
    private final URI apiBaseUrl;
    private final Clock clock;
    private final HttpClient httpClient;
    private final AddressPolicy addressPolicy;
    private final Logger logger = LoggerFactory.getLogger("dev.gatekit.plugin.test");
    private final List<InboundEvent> published = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    private TestPlatformContext(URI webhookUrl, URI apiBaseUrl, Clock clock, HttpClient httpClient) {
        this(webhookUrl, apiBaseUrl, clock, httpClient, AddressPolicy.permitAll());
    }

    private TestPlatformContext(URI webhookUrl, URI apiBaseUrl, Clock clock, HttpClient httpClient, AddressPolicy addressPolicy) {
        this.webhookUrl = Objects.requireNonNull(webhookUrl);
        this.apiBaseUrl = apiBaseUrl;
        this.clock = Objects.requireNonNull(clock);
        this.httpClient = Objects.requireNonNull(httpClient);
        this.addressPolicy = Objects.requireNonNull(addressPolicy);
    }

    /**
     * A context whose API base URL is the fake server's, with the system clock.
     *
     * @param server the fake platform server
     * @return the context
     */
    public static TestPlatformContext forServer(FakePlatformServer server) {
        return new TestPlatformContext(URI.create("https://gatekit.test/webhooks/test/00000000-0000-4000-8000-000000000000"),
                server.baseUri(), Clock.systemUTC(), SHARED_CLIENT);
    }

    /**
     * A context with no API base URL override (the plugin uses the platform's public API).
     *
     * @return the context
     */
    public static TestPlatformContext withoutServer() {
        return new TestPlatformContext(URI.create("https://gatekit.test/webhooks/test/00000000-0000-4000-8000-000000000000"),
                null, Clock.systemUTC(), SHARED_CLIENT);
    }

    /**
     * A copy with another clock, for signature replay windows and timestamps.
     *
     * @param value the clock
     * @return the copy (which records its own events)
     */
    public TestPlatformContext withClock(Clock value) {
        return new TestPlatformContext(webhookUrl, apiBaseUrl, value, httpClient, addressPolicy);
    }

    /**
     * A copy with another webhook URL.
     *
     * @param value the URL
     * @return the copy (which records its own events)
     */
    public TestPlatformContext withWebhookUrl(URI value) {
        return new TestPlatformContext(value, apiBaseUrl, clock, httpClient, addressPolicy);
    }

    /**
     * A copy with another HTTP client.
     *
     * @param value the client
     * @return the copy (which records its own events)
     */
    public TestPlatformContext withHttpClient(HttpClient value) {
        return new TestPlatformContext(webhookUrl, apiBaseUrl, clock, value, addressPolicy);
    }

    /**
     * A copy whose {@link #addressPolicy()} refuses every connection, as the host's does for an
     * internal address: a client the plugin builds itself must then fail without the fake server
     * seeing a request (proof that it connects through the policy). The shared
     * {@link #httpClient()} is the host's business and stays as it is.
     *
     * @return the copy (which records its own events)
     */
    public TestPlatformContext refusingEveryAddress() {
        return new TestPlatformContext(webhookUrl, apiBaseUrl, clock, httpClient, new AddressPolicy() {
            @Override
            public boolean permits(InetAddress address) {
                return false;
            }

            @Override
            public SocketFactory socketFactory() {
                return new SocketFactory() {
                    @Override
                    public Socket createSocket() {
                        return new Socket() {
                            @Override
                            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                                throw new RefusedAddressException(String.valueOf(endpoint));
                            }
                        };
                    }

                    @Override
                    public Socket createSocket(String host, int port) throws IOException {
                        throw new RefusedAddressException(host);
                    }

                    @Override
                    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                        throw new RefusedAddressException(host);
                    }

                    @Override
                    public Socket createSocket(InetAddress host, int port) throws IOException {
                        throw new RefusedAddressException(host.getHostAddress());
                    }

                    @Override
                    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
                        throw new RefusedAddressException(address.getHostAddress());
                    }
                };
            }
        });
    }

    @Override
    public AddressPolicy addressPolicy() {
        return addressPolicy;
    }

    @Override
    public URI webhookUrl() {
        return webhookUrl;
    }

    @Override
    public Optional<URI> apiBaseUrl() {
        return Optional.ofNullable(apiBaseUrl);
    }

    @Override
    public InboundSink inboundSink() {
        return event -> {
            Objects.requireNonNull(event, "a plugin published a null event");
            synchronized (lock) {
                published.add(event);
                lock.notifyAll();
            }
        };
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public HttpClient httpClient() {
        return httpClient;
    }

    /**
     * Every event published to the sink so far, in order.
     *
     * @return a snapshot
     */
    public List<InboundEvent> publishedEvents() {
        return List.copyOf(published);
    }

    /**
     * Waits until at least {@code count} events have been published.
     *
     * @param count   how many events to wait for
     * @param timeout how long to wait
     * @return a snapshot of all published events
     * @throws AssertionError when fewer arrive in time
     */
    public List<InboundEvent> awaitEvents(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (published.size() < count) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("expected " + count + " published events within " + timeout
                            + " but got " + published.size() + ": " + published);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for events", e);
                }
            }
            return List.copyOf(published);
        }
    }
}
