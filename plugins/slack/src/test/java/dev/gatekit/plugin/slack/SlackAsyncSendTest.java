package dev.gatekit.plugin.slack;

import static dev.gatekit.plugin.slack.FakeSlackApi.path;
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
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** sendAsync with the real slack-api-client against a fake Web API: the caller never waits, a bound in flight, typed failed stages. */
@Timeout(60)
class SlackAsyncSendTest {

    private static final Duration WAIT = FakeSlackApi.WAIT;

    private FakePlatformServer server;
    private final List<PlatformClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakePlatformServer.start();
        server.stub(path("auth.test"), FakeSlackApi.authTest());
    }

    @AfterEach
    void stop() {
        clients.forEach(PlatformClient::close);
        server.close();
    }

    private PlatformClient client(String configurationId, Map<String, String> settings) throws Exception {
        PlatformClient client = new SlackPlatformProvider().openClient(new PlatformConfiguration(configurationId, "proj-1",
                Map.of("botToken", FakeSlackApi.TOKEN), settings, false), TestPlatformContext.forServer(server));
        clients.add(client);
        return client;
    }

    private PlatformClient boundedTo(int bound) throws Exception {
        return client("cfg-1", Map.of("maxConcurrentRequests", Integer.toString(bound)));
    }

    private static OutboundMessage toChannel(String id, String text) {
        return new OutboundMessage(id, Target.channel("C0123"), MessageContent.text(text), null, Map.of());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private List<String> postedTexts() {
        return FakeSlackApi.calls(server).stream().filter(r -> FakeSlackApi.method(r).equals("chat.postMessage"))
                .map(r -> FakeSlackApi.form(r).get("text")).toList();
    }

    @Test
    void aSendReturnsBeforeSlackAnswers() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1700000000.000100"));
        PlatformClient client = client("cfg-1", Map.of());

        DeliveryReceipt receipt = AsyncSends.await(AsyncSends.assertDoesNotBlock(client, toChannel("m-1", "hi"), server), WAIT);

        assertThat(receipt.platformMessageIds()).containsExactly("1700000000.000100");
        assertThat(receipt.details()).containsEntry("channel", "C0123");
    }

    @Test
    void manySlowSendsNeverHaveMoreThanTheBoundInFlight() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.1"));
        List<OutboundMessage> messages = IntStream.range(0, 16).mapToObj(i -> toChannel("m-" + i, "hi " + i)).toList();

        assertThat(AsyncSends.assertConcurrencyBound(boundedTo(4), server, 4, messages)).isEqualTo(4);
        assertThat(postedTexts()).hasSize(16);
    }

    @Test
    void aSendToAUserOpensTheDirectMessageAndPostsInOneSlot() throws Exception {
        server.stub(path("conversations.open"), FakeSlackApi.opened("D0042"));
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("D0042", "1.1"));
        PlatformClient client = boundedTo(1);
        server.holdReplies();
        CompletableFuture<DeliveryReceipt> toUser = client.sendAsync(new OutboundMessage("m-1", Target.user("U0042"),
                MessageContent.text("to user"), null, Map.of())).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> toChannel = client.sendAsync(toChannel("m-2", "to channel")).toCompletableFuture();
        await("conversations.open reached Slack", () -> server.requests().size() == 1);
        assertThat(toUser).isNotDone();

        server.releaseReplies();
        assertThat(AsyncSends.await(toUser, WAIT).details()).containsEntry("channel", "D0042");
        AsyncSends.await(toChannel, WAIT);
        assertThat(FakeSlackApi.calls(server)).extracting(FakeSlackApi::method)
                .containsExactly("conversations.open", "chat.postMessage", "chat.postMessage");
        assertThat(postedTexts()).containsExactly("to user", "to channel");
    }

    @Test
    void aRateLimitIsARetryableFailedStageWithSlacksRetryAfter() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.rateLimited(30));
        Throwable thrown = catchThrowable(() -> AsyncSends.await(client("cfg-1", Map.of()).sendAsync(toChannel("m-1", "hi")), WAIT));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).retryAfter()).contains(Duration.ofSeconds(30));
    }

    @Test
    void refusalsArePermanentFailedStagesWithTheirReasonCodes() throws Exception {
        PlatformClient client = client("cfg-1", Map.of());
        Map<String, String> expected = Map.of("channel_not_found", "invalid_target", "not_in_channel", "bot_not_member",
                "invalid_auth", "unauthorized", "msg_too_long", "content_too_large");
        for (Map.Entry<String, String> refusal : expected.entrySet()) {
            server.enqueue(path("chat.postMessage"), FakeSlackApi.error(refusal.getKey()));
            Throwable thrown = catchThrowable(() -> AsyncSends.await(client.sendAsync(toChannel("m-1", "hi")), WAIT));
            assertThat(thrown).as(refusal.getKey()).isInstanceOf(PermanentDeliveryException.class);
            assertThat(((PermanentDeliveryException) thrown).reasonCode()).as(refusal.getKey()).isEqualTo(refusal.getValue());
        }
    }

    @Test
    void aWaitingSendTheCallerCancelledIsNeverPosted() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.1"));
        PlatformClient client = boundedTo(1);
        server.holdReplies();
        CompletableFuture<DeliveryReceipt> first = client.sendAsync(toChannel("m-1", "first")).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> abandoned = client.sendAsync(toChannel("m-2", "abandoned")).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> third = client.sendAsync(toChannel("m-3", "third")).toCompletableFuture();
        await("the first post reached Slack", () -> server.requests().size() == 1);

        abandoned.cancel(false);
        server.releaseReplies();
        AsyncSends.await(first, WAIT);
        AsyncSends.await(third, WAIT);

        assertThat(postedTexts()).containsExactly("first", "third");
    }

    @Test
    void closingFailsWaitingSendsAndEndsEveryThread() throws Exception {
        server.stub(path("chat.postMessage"), FakeSlackApi.posted("C0123", "1.1"));
        PlatformClient client = client("cfg-threads", Map.of("maxConcurrentRequests", "1"));
        server.holdReplies();
        CompletableFuture<DeliveryReceipt> inFlight = client.sendAsync(toChannel("m-1", "first")).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> waiting = client.sendAsync(toChannel("m-2", "second")).toCompletableFuture();
        await("the first post reached Slack", () -> server.requests().size() == 1);
        assertThat(pluginThreads()).as("the sender thread while a post is out").isEqualTo(1);

        client.close();

        assertThat(catchThrowable(() -> AsyncSends.await(waiting, WAIT))).isInstanceOf(RetryableDeliveryException.class)
                .hasMessageContaining("closed");
        assertThat(catchThrowable(() -> AsyncSends.await(inFlight, WAIT))).as("the cut-off post")
                .isInstanceOf(RetryableDeliveryException.class);
        await("every thread of the client ended", () -> pluginThreads() == 0);
        server.releaseReplies();
        assertThat(postedTexts()).containsExactly("first");
    }

    private static long pluginThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("gatekit-slack-cfg-threads-")).count();
    }
}
