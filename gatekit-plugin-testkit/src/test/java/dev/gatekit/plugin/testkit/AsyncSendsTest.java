package dev.gatekit.plugin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.Target;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AsyncSendsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final FakePlatformServer server = FakePlatformServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static OutboundMessage message(int n) {
        return new OutboundMessage("msg-" + n, Target.user("u-1"), MessageContent.text("hi"), null, null);
    }

    private static List<OutboundMessage> messages(int count) {
        return IntStream.range(0, count).mapToObj(AsyncSendsTest::message).toList();
    }

    /** Posts with the JDK client, at most {@code bound} at once (0: no bound); the rest wait in a queue, not a thread. */
    private final class HttpClientSends implements PlatformClient {
        private final int bound;
        private final Queue<Runnable> waiting = new ArrayDeque<>();
        private int inFlight;

        HttpClientSends(int bound) {
            this.bound = bound;
        }

        @Override
        public CompletionStage<DeliveryReceipt> sendAsync(OutboundMessage message) {
            CompletableFuture<DeliveryReceipt> result = new CompletableFuture<>();
            Runnable start = () -> HTTP.sendAsync(HttpRequest.newBuilder(server.baseUri().resolve("send"))
                            .POST(HttpRequest.BodyPublishers.ofString(message.messageId())).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                        finished();
                        if (failure != null) {
                            result.completeExceptionally(new RetryableDeliveryException("unreachable", failure));
                        } else if (response.statusCode() == 200) {
                            result.complete(DeliveryReceipt.of(message.messageId()));
                        } else {
                            result.completeExceptionally(new PermanentDeliveryException("rejected_by_endpoint", "no"));
                        }
                    });
            boolean now;
            synchronized (this) {
                now = bound == 0 || inFlight < bound;
                if (now) {
                    inFlight++;
                } else {
                    waiting.add(start);
                }
            }
            if (now) {
                start.run();
            }
            return result;
        }

        private void finished() {
            Runnable next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    inFlight--;
                }
            }
            if (next != null) {
                next.run();
            }
        }

        @Override
        public HealthStatus health() {
            return HealthStatus.up();
        }

        @Override
        public void close() {
        }
    }

    /** Implements only the blocking send, so the default sendAsync runs it on the calling thread. */
    private final class BlockingSends implements PlatformClient {
        @Override
        public DeliveryReceipt send(OutboundMessage message) throws RetryableDeliveryException {
            try {
                HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("send")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return DeliveryReceipt.of(message.messageId());
            } catch (IOException | InterruptedException e) {
                throw new RetryableDeliveryException("failed", e);
            }
        }

        @Override
        public HealthStatus health() {
            return HealthStatus.up();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void awaitReturnsTheReceiptOrThrowsTheTypedFailure() throws Exception {
        PlatformClient client = new HttpClientSends(0);
        assertThat(AsyncSends.await(client.sendAsync(message(1)), Duration.ofSeconds(5)).platformMessageIds())
                .containsExactly("msg-1");

        server.setDefaultResponse(FakeResponse.status(400));
        assertThat(catchThrowable(() -> AsyncSends.await(client.sendAsync(message(2)), Duration.ofSeconds(5))))
                .isInstanceOf(PermanentDeliveryException.class);
        assertThatThrownBy(() -> AsyncSends.await(new CompletableFuture<>(), Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("did not complete");
    }

    @Test
    void anAsynchronousClientDoesNotBlock() throws Exception {
        PlatformClient client = new HttpClientSends(0);
        CompletionStage<DeliveryReceipt> stage = AsyncSends.assertDoesNotBlock(client, message(1), server);
        assertThat(AsyncSends.await(stage, Duration.ofSeconds(5)).platformMessageIds()).containsExactly("msg-1");
    }

    @Test
    void aClientThatBlocksIsCaught() {
        assertThatThrownBy(() -> AsyncSends.assertDoesNotBlock(new BlockingSends(), message(1), server))
                .isInstanceOf(AssertionError.class).hasMessageContaining("blocks the calling thread");
    }

    @Test
    void aBoundedClientKeepsItsBound() {
        assertThat(AsyncSends.assertConcurrencyBound(new HttpClientSends(3), server, 3, messages(10))).isEqualTo(3);
        assertThat(server.requests()).hasSize(10);
    }

    @Test
    void anUnboundedClientIsCaught() {
        assertThatThrownBy(() -> AsyncSends.assertConcurrencyBound(new HttpClientSends(0), server, 3, messages(10)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("the bound is 3");
    }

    @Test
    void aClientThatSendsOneAtATimeIsCaught() {
        assertThatThrownBy(() -> AsyncSends.assertConcurrencyBound(new HttpClientSends(1), server, 3, messages(4)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("one after another");
    }
}
