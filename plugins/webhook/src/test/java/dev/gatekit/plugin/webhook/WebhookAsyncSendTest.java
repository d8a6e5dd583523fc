package dev.gatekit.plugin.webhook;

import static dev.gatekit.plugin.webhook.WebhookPlatformContractTest.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.testkit.AsyncSends;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** sendAsync against a fake endpoint: no blocked callers, a bounded number in flight, typed failed stages. */
@Timeout(60)
class WebhookAsyncSendTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WebhookPlatformProvider provider = new WebhookPlatformProvider();
    private final List<PlatformClient> clients = new ArrayList<>();
    private FakePlatformServer server;

    @BeforeEach
    void start() {
        server = FakePlatformServer.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(PlatformClient::close);
        server.close();
    }

    private PlatformClient client(Map<String, String> extraSettings, TestPlatformContext context) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("url", server.baseUri().resolve("hook").toString()));
        settings.putAll(extraSettings);
        PlatformClient client = provider.openClient(
                new PlatformConfiguration("cfg-1", "proj-1", Map.of("signingSecret", SECRET), settings, false), context);
        clients.add(client);
        return client;
    }

    private PlatformClient client(Map<String, String> extraSettings) throws Exception {
        return client(extraSettings, TestPlatformContext.forServer(server));
    }

    private PlatformClient boundedTo(int bound) throws Exception {
        return client(Map.of("maxConcurrentRequests", Integer.toString(bound)));
    }

    private static OutboundMessage message(int n) {
        return new OutboundMessage("msg-" + n, Target.user("u-42"), MessageContent.text("hi " + n), null, null);
    }

    private static List<OutboundMessage> messages(int count) {
        return IntStream.range(0, count).mapToObj(WebhookAsyncSendTest::message).toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private List<String> messageIdsReceived() {
        return server.requests().stream().map(r -> r.header("X-GateKit-Message-Id").orElseThrow()).toList();
    }

    @Test
    void aSendReturnsBeforeTheEndpointAnswers() throws Exception {
        server.setDefaultResponse(FakeResponse.json(200, "{\"id\":\"remote-1\"}"));
        PlatformClient client = client(Map.of());

        DeliveryReceipt receipt = AsyncSends.await(AsyncSends.assertDoesNotBlock(client, message(1), server), WAIT);

        assertThat(receipt.platformMessageIds()).containsExactly("remote-1");
        RecordedRequest request = server.requests().get(0);
        assertThat(request.header("X-GateKit-Signature")).hasValueSatisfying(v -> assertThat(v).startsWith("v1="));
        assertThat(request.header("X-GateKit-Message-Id")).contains("msg-1");
    }

    @Test
    void manySlowSendsNeverHaveMoreThanTheBoundInFlight() throws Exception {
        PlatformClient client = boundedTo(4);

        assertThat(AsyncSends.assertConcurrencyBound(client, server, 4, messages(20))).isEqualTo(4);

        assertThat(messageIdsReceived()).containsExactlyInAnyOrderElementsOf(
                messages(20).stream().map(OutboundMessage::messageId).toList());
    }

    @Test
    void theDefaultBoundIs64() throws Exception {
        assertThat(AsyncSends.assertConcurrencyBound(client(Map.of()), server, 64, messages(80))).isEqualTo(64);
    }

    @Test
    void sendsBeyondTheBoundWaitWithoutBlockingAndGoOutInOrder() throws Exception {
        PlatformClient client = boundedTo(1);
        server.holdReplies();
        List<CompletableFuture<DeliveryReceipt>> sends = new ArrayList<>();
        for (OutboundMessage message : messages(5)) {
            sends.add(client.sendAsync(message).toCompletableFuture());
        }
        await("the first request reached the endpoint", () -> server.requests().size() == 1);
        assertThat(sends).noneMatch(CompletableFuture::isDone);
        assertThat(server.openRequests()).isEqualTo(1);

        server.releaseReplies();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(messageIdsReceived()).containsExactly("msg-0", "msg-1", "msg-2", "msg-3", "msg-4");
        assertThat(server.maxConcurrentRequests()).isEqualTo(1);
    }

    @Test
    void aWaitingSendIsSignedWhenItGoesOut() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-02T03:04:05Z"));
        PlatformClient client = client(Map.of("maxConcurrentRequests", "1"), TestPlatformContext.forServer(server).withClock(clock));
        server.holdReplies();
        CompletableFuture<DeliveryReceipt> first = client.sendAsync(message(1)).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> second = client.sendAsync(message(2)).toCompletableFuture();
        await("the first request reached the endpoint", () -> server.requests().size() == 1);

        clock.now = clock.now.plusSeconds(600);
        server.releaseReplies();
        AsyncSends.await(first, WAIT);
        AsyncSends.await(second, WAIT);

        assertThat(server.requests()).extracting(r -> r.header("X-GateKit-Timestamp").orElseThrow())
                .containsExactly("1893553445", "1893554045");
    }

    @Test
    void aWaitingSendTheCallerCancelledIsNeverSent() throws Exception {
        PlatformClient client = boundedTo(1);
        server.holdReplies();
        CompletableFuture<DeliveryReceipt> first = client.sendAsync(message(1)).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> abandoned = client.sendAsync(message(2)).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> third = client.sendAsync(message(3)).toCompletableFuture();
        await("the first request reached the endpoint", () -> server.requests().size() == 1);

        abandoned.cancel(false);
        server.releaseReplies();
        AsyncSends.await(first, WAIT);
        AsyncSends.await(third, WAIT);

        assertThat(messageIdsReceived()).containsExactly("msg-1", "msg-3");
    }

    @Test
    void closingFailsTheWaitingSendsAsRetryableWithoutSendingThem() throws Exception {
        PlatformClient client = boundedTo(1);
        server.holdReplies();
        CompletableFuture<DeliveryReceipt> inFlight = client.sendAsync(message(1)).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> waiting = client.sendAsync(message(2)).toCompletableFuture();
        await("the first request reached the endpoint", () -> server.requests().size() == 1);

        client.close();

        assertThat(catchThrowable(() -> AsyncSends.await(waiting, WAIT))).isInstanceOf(RetryableDeliveryException.class)
                .hasMessageContaining("closed");
        assertThat(catchThrowable(() -> AsyncSends.await(client.sendAsync(message(3)), WAIT)))
                .isInstanceOf(RetryableDeliveryException.class);
        server.releaseReplies();
        AsyncSends.await(inFlight, WAIT);
        assertThat(messageIdsReceived()).containsExactly("msg-1");
    }

    @Test
    void rateLimitArrivesAsARetryableFailureWithItsRetryAfter() throws Exception {
        server.enqueue(FakeResponse.tooManyRequests(Duration.ofSeconds(42)));
        Throwable thrown = catchThrowable(() -> AsyncSends.await(client(Map.of()).sendAsync(message(1)), WAIT));
        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).retryAfter()).contains(Duration.ofSeconds(42));
    }

    @Test
    void refusalsArriveAsPermanentFailuresWithTheirReasonCodes() throws Exception {
        PlatformClient client = client(Map.of());
        Map<Integer, String> expected = Map.of(401, "unauthorized", 404, "invalid_target", 410, "invalid_target",
                413, "content_too_large", 422, "rejected_by_endpoint");
        for (Map.Entry<Integer, String> entry : expected.entrySet()) {
            server.enqueue(FakeResponse.status(entry.getKey()));
            Throwable thrown = catchThrowable(() -> AsyncSends.await(client.sendAsync(message(1)), WAIT));
            assertThat(thrown).as("status %d", entry.getKey()).isInstanceOf(PermanentDeliveryException.class);
            assertThat(((PermanentDeliveryException) thrown).reasonCode()).as("status %d", entry.getKey())
                    .isEqualTo(entry.getValue());
            assertThat(((PermanentDeliveryException) thrown).platformStatus()).as("status %d", entry.getKey()).hasValue(entry.getKey());
        }
    }

    @Test
    void aSlowEndpointTimesOutAsRetryableAndFreesItsSlot() throws Exception {
        PlatformClient client = client(Map.of("timeoutSeconds", "1", "maxConcurrentRequests", "1"));
        server.enqueue(FakeResponse.ok().withDelay(Duration.ofSeconds(20)));
        CompletableFuture<DeliveryReceipt> slow = client.sendAsync(message(1)).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> next = client.sendAsync(message(2)).toCompletableFuture();

        assertThat(catchThrowable(() -> AsyncSends.await(slow, WAIT))).isInstanceOf(RetryableDeliveryException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(AsyncSends.await(next, WAIT).platformMessageIds()).containsExactly("msg-2");
    }

    @Test
    void anUnreachableEndpointIsARetryableFailedStage() throws Exception {
        FakePlatformServer gone = FakePlatformServer.start();
        String url = gone.baseUri().resolve("hook").toString();
        gone.close();
        PlatformClient client = client(Map.of("url", url));
        assertThat(catchThrowable(() -> AsyncSends.await(client.sendAsync(message(1)), WAIT)))
                .isInstanceOf(RetryableDeliveryException.class);
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
