package dev.gatekit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gatekit.plugin.api.RefusedAddressException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The policy is applied when a connection opens, to the address a name resolves to then. */
class HostAddressPolicyTest {

    private HttpServer internal;
    private final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void startInternalService() throws IOException {
        internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        internal.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] body = "internal secret".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        internal.start();
    }

    @AfterEach
    void stop() {
        internal.stop(0);
    }

    private URI byName() {
        // "localhost" passes no literal-address check: only its resolution at connect time says loopback.
        return URI.create("http://localhost:" + internal.getAddress().getPort() + "/latest/meta-data");
    }

    private static HttpClient jdkClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void aSocketToANameThatResolvesToLoopbackIsRefusedWhenItConnects() throws IOException {
        var refusing = new HostAddressPolicy(false).socketFactory();
        var allowing = new HostAddressPolicy(true).socketFactory();

        try (Socket socket = refusing.createSocket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress("localhost", internal.getAddress().getPort()), 5000))
                    .isInstanceOf(RefusedAddressException.class).hasMessageContaining("localhost");
        }
        assertThatThrownBy(() -> refusing.createSocket("::ffff:127.0.0.1", internal.getAddress().getPort()))
                .isInstanceOf(RefusedAddressException.class);
        try (Socket socket = allowing.createSocket("localhost", internal.getAddress().getPort())) {
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Test
    void theSharedClientRefusesANameThatResolvesToLoopbackAndNothingAnswers() throws Exception {
        HttpClient policed = new PolicedHttpClient(jdkClient(), new HostAddressPolicy(false));
        HttpRequest request = HttpRequest.newBuilder(byName()).timeout(Duration.ofSeconds(5)).GET().build();

        assertThatThrownBy(() -> policed.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(RefusedAddressException.class).hasMessageNotContaining("internal secret");
        assertThatThrownBy(() -> policed.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RefusedAddressException.class);
        assertThatThrownBy(() -> policed.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + internal.getAddress().getPort()),
                new java.net.http.WebSocket.Listener() { }).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RefusedAddressException.class);
        assertThat(hits).hasValue(0);

        HttpClient allowing = new PolicedHttpClient(jdkClient(), new HostAddressPolicy(true));
        assertThat(allowing.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("internal secret");
    }

    @Test
    void theSharedClientMustNotFollowRedirects() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        assertThatThrownBy(() -> new PolicedHttpClient(following, new HostAddressPolicy(false))).isInstanceOf(IllegalArgumentException.class);
    }
}
