package dev.gatekit.core.http;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK HTTP client with the {@link HostAddressPolicy} in front: the JDK client takes no socket
 * factory, so each request's host is resolved and checked right before the client connects, and
 * the client's own lookup then gets the JVM's cached answer (kept 30 s), the one just checked.
 * Redirects are never followed (the client is built with {@code Redirect.NEVER}), so the checked
 * host is the only one reached. A refused request fails like a connection failure, with a
 * {@link dev.gatekit.plugin.api.RefusedAddressException}.
 */
public final class PolicedHttpClient extends HttpClient {

    private final HttpClient delegate;
    private final HostAddressPolicy policy;

    public PolicedHttpClient(HttpClient delegate, HostAddressPolicy policy) {
        if (delegate.followRedirects() != Redirect.NEVER) {
            throw new IllegalArgumentException("the policed client must not follow redirects");
        }
        this.delegate = delegate;
        this.policy = policy;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        check(request.uri());
        return delegate.send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromises) {
        try {
            check(request.uri());
        } catch (IOException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return delegate.sendAsync(request, handler, pushPromises);
    }

    private void check(URI uri) throws IOException {
        if (uri.getHost() != null) {
            policy.checkHost(uri.getHost());
        }
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return new PolicedWebSocketBuilder(delegate.newWebSocketBuilder());
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    /** Checks the websocket's host when it is opened; everything else is the JDK's builder. */
    private final class PolicedWebSocketBuilder implements WebSocket.Builder {
        private final WebSocket.Builder builder;

        PolicedWebSocketBuilder(WebSocket.Builder builder) {
            this.builder = builder;
        }

        @Override
        public WebSocket.Builder header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        @Override
        public WebSocket.Builder connectTimeout(Duration timeout) {
            builder.connectTimeout(timeout);
            return this;
        }

        @Override
        public WebSocket.Builder subprotocols(String mostPreferred, String... lesserPreferred) {
            builder.subprotocols(mostPreferred, lesserPreferred);
            return this;
        }

        @Override
        public CompletableFuture<WebSocket> buildAsync(URI uri, WebSocket.Listener listener) {
            try {
                check(uri);
            } catch (IOException refused) {
                return CompletableFuture.failedFuture(refused);
            }
            return builder.buildAsync(uri, listener);
        }
    }
}
